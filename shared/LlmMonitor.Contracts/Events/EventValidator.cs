using System.Globalization;
using System.Numerics;
using System.Text;

namespace LlmMonitor.Events;

/// <summary>
/// The one validator for every ingest path (gateway and writer): it enforces each rule of the event
/// contract and fills in the defaults. It never throws for bad input.
/// </summary>
public sealed class EventValidator(TimeProvider clock, int retentionDays)
{
    public int RetentionDays { get; } = retentionDays;

    /// <summary>The oldest and newest timestamps accepted right now.</summary>
    public AcceptedWindow Window() => AcceptedWindow.At(clock.GetUtcNow(), RetentionDays);

    /// <param name="input">The event as read.</param>
    /// <param name="receivedAt">The timestamp given to an event that has none.</param>
    public EventValidationResult Validate(EventInput input, DateTimeOffset receivedAt) => Validate(input, receivedAt, Window());

    /// <param name="window">From <see cref="Window"/>: read the clock once for a whole batch.</param>
    public EventValidationResult Validate(EventInput input, DateTimeOffset receivedAt, AcceptedWindow window)
    {
        var errors = new ValidationErrors();
        foreach (var (field, reasons) in input.ShapeErrors)
        {
            errors[field] = reasons;
        }

        var model = CheckText(input.Model, EventFields.Model, EventRules.ModelMaxLength, errors);
        if (input.Model is null && !errors.ContainsKey(EventFields.Model))
        {
            errors.Add(EventFields.Model, "is required");
        }
        else if (model is not null && string.IsNullOrWhiteSpace(model))
        {
            errors.Add(EventFields.Model, "must not be empty");
        }

        var provider = CheckText(input.Provider, EventFields.Provider, EventRules.ProviderMaxLength, errors);
        if (provider is not null && string.IsNullOrWhiteSpace(provider))
        {
            errors.Add(EventFields.Provider, "must not be empty");
        }

        var prompt = CheckCount(input.PromptTokens, EventFields.PromptTokens, EventRules.MaxTokens, errors);
        var completion = CheckCount(input.CompletionTokens, EventFields.CompletionTokens, EventRules.MaxTokens, errors);
        var total = CheckCount(input.TotalTokens, EventFields.TotalTokens, EventRules.MaxTotalTokens, errors);
        var cached = CheckCount(input.CachedTokens, EventFields.CachedTokens, EventRules.MaxTokens, errors);
        var cacheWrite = CheckCount(input.CacheWriteTokens, EventFields.CacheWriteTokens, EventRules.MaxTokens, errors);
        var reasoning = CheckCount(input.ReasoningTokens, EventFields.ReasoningTokens, EventRules.MaxTokens, errors);
        CheckParts(prompt, cached, cacheWrite, completion, reasoning, errors);

        CheckRange(input.LatencyMs, EventFields.LatencyMs, EventRules.MaxLatencyMs, errors);
        CheckRange(input.CostUsd, EventFields.CostUsd, EventRules.MaxCostUsd, errors);

        var status = input.Status ?? EventStatus.Success;
        if (status is not (EventStatus.Success or EventStatus.Error))
        {
            errors.Add(EventFields.Status, "must be 'success' or 'error'");
        }

        var traceId = CheckId(input.TraceId, EventFields.TraceId, errors);
        var spanId = CheckId(input.SpanId, EventFields.SpanId, errors);
        var parentSpanId = CheckId(input.ParentSpanId, EventFields.ParentSpanId, errors);
        var sessionId = CheckLabel(input.SessionId, EventFields.SessionId, errors);
        var userId = CheckLabel(input.UserId, EventFields.UserId, errors);
        var errorMessage = CheckText(input.ErrorMessage, EventFields.ErrorMessage, EventRules.ErrorMessageMaxLength, errors);
        var tags = CheckTags(input.Tags, errors);
        var inputText = CheckBytes(input.Input, EventFields.Input, errors);
        var outputText = CheckBytes(input.Output, EventFields.Output, errors);
        var timestamp = CheckTimestamp(input.Timestamp ?? receivedAt, window, errors);

        if (errors.HasErrors)
        {
            return new EventValidationResult(null, errors);
        }

        var ev = new LlmEvent(
            input.EventId ?? Guid.CreateVersion7(),
            timestamp,
            model!,
            provider ?? ProviderInference.Infer(model!),
            (int)prompt,
            (int)completion,
            input.TotalTokens is null ? prompt + completion : total,
            (int)cached,
            (int)cacheWrite,
            (int)reasoning,
            // Microseconds: finer is noise, and it keeps rollup sums exact (see RollupDelta).
            input.LatencyMs is { } latency ? Math.Round(latency, 3) : null,
            // To a trillionth of a dollar, so that every sum of costs can be read back (see EventRules.CostDecimals).
            input.CostUsd is { } cost ? decimal.Round(cost, EventRules.CostDecimals) : null,
            input.CostUsd is null ? CostSource.Catalogue : CostSource.Client,
            traceId,
            spanId,
            parentSpanId,
            sessionId,
            userId ?? UserIdTag(tags),
            status,
            errorMessage,
            WithUserTag(tags, userId),
            inputText,
            outputText);
        return new EventValidationResult(ev, errors);
    }

    private DateTimeOffset CheckTimestamp(DateTimeOffset timestamp, AcceptedWindow window, ValidationErrors errors)
    {
        var (oldest, newest) = window;
        if (timestamp < oldest)
        {
            errors.Add(EventFields.Timestamp, $"must not be older than the retention window ({RetentionDays} days)");
        }
        else if (timestamp > newest)
        {
            errors.Add(EventFields.Timestamp, "must not be more than 1 day in the future");
        }

        return timestamp;
    }

    /// <summary>
    /// The parts must fit in their whole: cache reads and writes are prompt tokens, reasoning tokens are completion
    /// tokens. Not checked where a count is already refused, so that one wrong number is named once.
    /// </summary>
    private static void CheckParts(long prompt, long cached, long cacheWrite, long completion, long reasoning, ValidationErrors errors)
    {
        if (!errors.ContainsKey(EventFields.PromptTokens))
        {
            if (cached > prompt)
            {
                errors.Add(EventFields.CachedTokens, $"must be <= prompt_tokens ({prompt})");
            }
            else if (cached + cacheWrite > prompt && !errors.ContainsKey(EventFields.CachedTokens))
            {
                errors.Add(EventFields.CacheWriteTokens, $"cached_tokens + cache_write_tokens must be <= prompt_tokens ({prompt})");
            }
        }

        if (reasoning > completion && !errors.ContainsKey(EventFields.CompletionTokens))
        {
            errors.Add(EventFields.ReasoningTokens, $"must be <= completion_tokens ({completion})");
        }
    }

    private static string? CheckId(string? value, string field, ValidationErrors errors)
    {
        if (value is not null && !EventRules.IsId(value))
        {
            errors.Add(field, $"must be 1 to {EventRules.IdMaxLength} characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'");
        }

        return value;
    }

    private static string? CheckLabel(string? value, string field, ValidationErrors errors)
    {
        var text = CheckText(value, field, EventRules.LabelMaxLength, errors);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, "must not be empty");
        }

        return text;
    }

    /// <summary>
    /// A <c>user_id</c> sent is also kept as the tag <c>user_id</c> (replacing a different one), so that the user list,
    /// every tag breakdown and the tag filter see the same user as the call's user_id, whichever way the client named it.
    /// </summary>
    private static IReadOnlyDictionary<string, string> WithUserTag(IReadOnlyDictionary<string, string> tags, string? userId) =>
        userId is null || (tags.TryGetValue(EventFields.UserId, out var tagged) && tagged == userId)
            ? tags
            : new Dictionary<string, string>(tags) { [EventFields.UserId] = userId };

    /// <summary>An event without <c>user_id</c> is counted for the user its tag <c>user_id</c> names, when that is a valid user_id.</summary>
    private static string? UserIdTag(IReadOnlyDictionary<string, string> tags) =>
        tags.TryGetValue(EventFields.UserId, out var user) && EventRules.IsLabel(user) ? user : null;

    private static long CheckCount(long? value, string field, long max, ValidationErrors errors) =>
        CheckRange(value, field, max, errors) ? value ?? 0 : 0;

    /// <returns>Whether <paramref name="value"/> is absent or within 0..<paramref name="max"/>.</returns>
    private static bool CheckRange<T>(T? value, string field, T max, ValidationErrors errors)
        where T : struct, INumber<T>
    {
        if (value is not { } v)
        {
            return true;
        }

        if (v < T.Zero)
        {
            errors.Add(field, "must be >= 0");
            return false;
        }

        if (v > max)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"must be <= {max}"));
            return false;
        }

        return true;
    }

    private static string? CheckText(string? value, string field, int maxLength, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
        }
        else if (!IsStorableText(value))
        {
            errors.Add(field, "must not contain NUL characters or invalid Unicode");
        }

        return value;
    }

    private static string? CheckBytes(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        // A UTF-8 char takes at most 3 bytes per UTF-16 unit, so short strings need no exact count.
        if (value.Length * 3 > EventRules.TextMaxBytes && Encoding.UTF8.GetByteCount(value) > EventRules.TextMaxBytes)
        {
            errors.Add(field, $"must be at most {EventRules.TextMaxBytes} bytes of UTF-8");
        }
        else if (!IsStorableText(value))
        {
            errors.Add(field, "must not contain NUL characters or invalid Unicode");
        }

        return value;
    }

    private static IReadOnlyDictionary<string, string> CheckTags(Dictionary<string, string>? tags, ValidationErrors errors)
    {
        if (tags is null)
        {
            return EmptyTags;
        }

        if (tags.Count > EventRules.MaxTags)
        {
            errors.Add(EventFields.Tags, $"must have at most {EventRules.MaxTags} keys");
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > EventRules.TagKeyMaxLength || !IsStorableText(key))
            {
                errors.Add(EventFields.Tags, $"key '{Shorten(key)}' must be 1 to {EventRules.TagKeyMaxLength} characters of valid text");
            }
            else if (value.Length > EventRules.TagValueMaxLength || !IsStorableText(value))
            {
                errors.Add($"{EventFields.Tags}.{key}", $"must be at most {EventRules.TagValueMaxLength} characters of valid text");
            }
        }

        return tags;
    }

    /// <summary>PostgreSQL text and jsonb refuse NUL and unpaired surrogates; refusing them here keeps COPY from failing.</summary>
    public static bool IsStorableText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string key) => key.Length > 20 ? key[..20] + "…" : key;

    private static readonly IReadOnlyDictionary<string, string> EmptyTags = new Dictionary<string, string>();
}

public sealed record EventValidationResult(LlmEvent? Event, ValidationErrors Errors)
{
    public bool IsValid => Event is not null;
}

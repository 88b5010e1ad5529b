namespace LlmMonitor.Events;

/// <summary>The limits of the event contract, in one place.</summary>
public static class EventRules
{
    public const int ModelMaxLength = 200;
    public const int ProviderMaxLength = 100;
    public const int ErrorMessageMaxLength = 4_000;
    public const int MaxTags = 50;
    public const int TagKeyMaxLength = 64;
    public const int TagValueMaxLength = 256;
    public const int TextMaxBytes = 64 * 1024;

    /// <summary><c>trace_id</c>, <c>span_id</c> and <c>parent_span_id</c>: 1 to this many characters (see <see cref="IsId"/>).</summary>
    public const int IdMaxLength = 64;

    /// <summary><c>session_id</c> and <c>user_id</c>: 1 to this many characters.</summary>
    public const int LabelMaxLength = 200;
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    /// <summary>The most <c>prompt_tokens</c>, <c>completion_tokens</c> or any other token count one call may report.</summary>
    public const long MaxTokens = 100_000_000;

    /// <summary>A <c>total_tokens</c> that is sent may be at most prompt + completion at their maxima.</summary>
    public const long MaxTotalTokens = 2 * MaxTokens;

    /// <summary>A day.</summary>
    public const double MaxLatencyMs = 86_400_000;

    public const decimal MaxCostUsd = 100_000m;

    /// <summary>
    /// A sent cost is kept to a trillionth of a dollar. PostgreSQL sums numerics exactly, and Npgsql cannot read a sum
    /// of more than 28 significant digits into a decimal: a year of a million calls an hour at <see cref="MaxCostUsd"/>
    /// stays under 10^15, so with 12 decimals any sum the read API makes has at most 27.
    /// </summary>
    public const int CostDecimals = 12;

    /// <summary>
    /// Whether <paramref name="value"/> is a valid trace, span or parent span id: 1 to <see cref="IdMaxLength"/>
    /// characters of A–Z, a–z, 0–9, '.', '_', ':' and '-' (hex ids, UUIDs, and the prefixed ids some tools use).
    /// </summary>
    public static bool IsId(string value)
    {
        if (value.Length is 0 or > IdMaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsIdChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';

    /// <summary>
    /// Whether <paramref name="value"/> is a valid <c>session_id</c> or <c>user_id</c>: 1 to <see cref="LabelMaxLength"/>
    /// characters, not only white space, and storable (see <see cref="EventValidator.IsStorableText"/>).
    /// </summary>
    public static bool IsLabel(string value) =>
        value.Length <= LabelMaxLength && !string.IsNullOrWhiteSpace(value) && EventValidator.IsStorableText(value);
}

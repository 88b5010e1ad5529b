using LlmMonitor.Events;
using LlmMonitor.Pricing;
using LlmMonitor.Storage;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>
/// A deterministic set of calls over the last four days: several models (one unpriced), both statuses,
/// client-priced and catalogue-priced costs, missing latencies, tags on most calls, input/output text.
/// </summary>
public static class SeedData
{
    public static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "claude-3-5-haiku", "mystery-model"];
    public static readonly string[] Users = ["u-ada", "u-bob", "u-cyd", "u-dee", "u-eve", "u-fay", "u-gus"];
    public static readonly string[] Features = ["chat", "search", "summarise"];
    public const int Count = 2400;

    public static IReadOnlyList<EventRow> Rows(DateTimeOffset now)
    {
        var random = new Random(7);
        var rows = new List<EventRow>(Count);
        for (var i = 0; i < Count; i++)
        {
            var model = Models[i % Models.Length];
            var at = now.AddSeconds(-random.Next(30, 4 * 24 * 3600));
            var prompt = random.Next(10, 3000);
            var completion = random.Next(0, 800);
            var cached = i % 4 == 0 ? random.Next(0, prompt) : 0;
            var cacheWrite = model.StartsWith("claude-", StringComparison.Ordinal) && i % 3 == 0 ? random.Next(0, prompt - cached) : 0;
            var reasoning = i % 6 == 1 ? completion / 3 : 0;
            var error = i % 13 == 0;
            decimal? clientCost = i % 9 == 0 ? Math.Round((decimal)random.NextDouble(), 6) : null;
            var tags = new Dictionary<string, string>();
            if (i % 10 != 0)
            {
                tags["user_id"] = Users[random.Next(Users.Length)];
                tags["feature"] = Features[random.Next(Features.Length)];
            }

            if (i % 50 == 0)
            {
                tags["team"] = "research";
            }

            rows.Add(new EventRow(new LlmEvent(
                Guid.CreateVersion7(at),
                at,
                model,
                ProviderInference.Infer(model),
                prompt,
                completion,
                prompt + completion,
                cached,
                cacheWrite,
                reasoning,
                i % 11 == 0 ? null : Math.Round(20 + Math.Exp(4 + random.NextDouble() * 4), 3),
                clientCost ?? PriceBook.BuiltIn.Cost(model, at, prompt, completion, cached, cacheWrite),
                clientCost is null ? CostSource.Catalogue : CostSource.Client,
                i % 3 == 0 ? $"{i / 30:x32}" : null,
                i % 3 == 0 ? $"{i:x16}" : null,
                i % 3 == 0 && i % 30 != 0 ? $"{i / 30 * 30:x16}" : null,
                i % 5 == 0 ? null : $"session-{i % 40}",
                tags.GetValueOrDefault("user_id"),
                error ? EventStatus.Error : EventStatus.Success,
                error ? (i % 2 == 0 ? "rate_limit_exceeded: slow down" : "upstream timeout after 30 s") : null,
                tags,
                $"Prompt number {i}: explain the invoice for order {1000 + i}.",
                error ? null : $"Answer number {i}: the invoice covers {i % 5 + 1} items."), false));
        }

        return rows;
    }
}

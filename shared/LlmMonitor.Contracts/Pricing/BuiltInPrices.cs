namespace LlmMonitor.Pricing;

/// <summary>
/// List prices (USD per 1M input / output / cached-input tokens, and cache writes where the provider charges them
/// apart) with the date each took effect. A model's first period starts at the beginning of time so that any
/// accepted event can be priced. OpenAI charges no cache writes (the input price applies); Anthropic charges
/// 1.25 × input for writes to its 5-minute cache, the one its API writes by default (0.30 for Claude 3 Haiku).
/// </summary>
public static class BuiltInPrices
{
    public static readonly DateTimeOffset BeginningOfTime = DateTimeOffset.UnixEpoch;

    public static IReadOnlyList<ModelPrice> All { get; } =
    [
        P("gpt-4", 30m, 60m),
        P("gpt-4-turbo", 10m, 30m),
        P("gpt-3.5-turbo", 0.50m, 1.50m),
        P("gpt-4o", 5m, 15m),
        P("gpt-4o", 2.50m, 10m, 1.25m, "2024-08-06"),
        P("gpt-4o-mini", 0.15m, 0.60m, 0.075m),
        P("gpt-4.1", 2m, 8m, 0.50m),
        P("gpt-4.1-mini", 0.40m, 1.60m, 0.10m),
        P("gpt-4.1-nano", 0.10m, 0.40m, 0.025m),
        P("o1", 15m, 60m, 7.50m),
        P("o1-mini", 1.10m, 4.40m, 0.55m),
        P("o3", 10m, 40m, 2.50m),
        P("o3", 2m, 8m, 0.50m, "2025-06-10"),
        P("o3-mini", 1.10m, 4.40m, 0.55m),
        P("o4-mini", 1.10m, 4.40m, 0.275m),
        P("claude-3-5-sonnet", 3m, 15m, 0.30m, write: 3.75m),
        P("claude-3-7-sonnet", 3m, 15m, 0.30m, write: 3.75m),
        P("claude-sonnet-4", 3m, 15m, 0.30m, write: 3.75m),
        P("claude-sonnet-4-5", 3m, 15m, 0.30m, write: 3.75m),
        P("claude-3-opus", 15m, 75m, 1.50m, write: 18.75m),
        P("claude-opus-4", 15m, 75m, 1.50m, write: 18.75m),
        P("claude-opus-4-1", 15m, 75m, 1.50m, write: 18.75m),
        P("claude-3-haiku", 0.25m, 1.25m, 0.03m, write: 0.30m),
        P("claude-3-5-haiku", 0.80m, 4m, 0.08m, write: 1.00m),
        P("claude-haiku-4-5", 1m, 5m, 0.10m, write: 1.25m),
    ];

    private static ModelPrice P(string model, decimal input, decimal output, decimal? cached = null, string? from = null, decimal? write = null) =>
        new(model, from is null ? BeginningOfTime : DateTimeOffset.Parse(from + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            input, output, cached, write);
}

namespace LlmMonitor.Benchmark;

/// <summary>
/// Spreads requests over several gateways (<c>--gateway</c> with a comma-separated list, as a load balancer in front
/// of N gateways would): each request goes to the next gateway in turn, path and query kept.
/// </summary>
public sealed class GatewayRoundRobin(IReadOnlyList<Uri> gateways, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _next = -1;

    public static IReadOnlyList<Uri> Parse(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(g => new Uri(g)).ToList() is { Count: > 0 } gateways
            ? gateways
            : throw new ArgumentException("--gateway: give at least one URL");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (gateways.Count > 1 && request.RequestUri is { } uri)
        {
            var gateway = gateways[(int)((uint)Interlocked.Increment(ref _next) % (uint)gateways.Count)];
            request.RequestUri = new Uri(gateway, uri.PathAndQuery);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

using System.Text.Json;

namespace LlmMonitor.QueryBenchmark;

/// <summary>
/// Ids to ask for, read (untimed) from the API before the runs: distinct sessions from the first pages of the 24-hour
/// session list (30 days if the last day has too few), one trace of each, and the user of the first session.
/// </summary>
public sealed record QuerySample(IReadOnlyList<string> SessionIds, IReadOnlyList<string> TraceIds, string UserId)
{
    public static async Task<QuerySample> PickAsync(HttpClient http, int count)
    {
        var sessions = new List<(string Id, string? User)>();
        foreach (var hours in new[] { 24, 720 })
        {
            sessions.Clear();
            for (var page = 1; sessions.Count < count && page <= 10; page++)
            {
                using var list = await GetJsonAsync(http, $"api/sessions?hours={hours}&page={page}&page_size=50");
                var items = list.RootElement.GetProperty("items");
                sessions.AddRange(items.EnumerateArray().Select(s => (s.GetProperty("session_id").GetString()!, s.GetProperty("user_id").GetString())));
                if (items.GetArrayLength() < 50)
                {
                    break;
                }
            }

            if (sessions.Count >= count)
            {
                break;
            }
        }

        if (sessions.Count == 0)
        {
            throw new InvalidOperationException("no session in the last 30 days: seed the database first");
        }

        var picked = sessions.Take(count).ToList();
        var traces = new List<string>();
        foreach (var (id, _) in picked)
        {
            using var session = await GetJsonAsync(http, $"api/sessions/{Uri.EscapeDataString(id)}");
            var calls = session.RootElement.GetProperty("calls").EnumerateArray()
                .Select(c => c.GetProperty("trace_id").GetString()).OfType<string>().ToList();
            // The session's latest turn: the trace a reader of the session opens first.
            if (calls.Count > 0)
            {
                traces.Add(calls[^1]);
            }
        }

        return new QuerySample(picked.Select(s => s.Id).ToList(), traces, picked.Select(s => s.User).OfType<string>().First());
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
    }
}

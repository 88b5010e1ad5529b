using LlmMonitor.Events;
using LlmMonitor.Storage;

namespace LlmMonitor.WebUi.Tests.Infrastructure;

/// <summary>Calls of one model written through the writer's COPY path two minutes ago: inside any rule window that ends now.</summary>
public static class AlertCalls
{
    public static Task WriteAsync(WebUiFixture ui, string model, int count, bool error)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        var rows = Enumerable.Range(0, count).Select(i => new EventRow(new LlmEvent(
            Guid.CreateVersion7(at), at.AddMilliseconds(i), model, "unknown", 10, 5, 15, 0, 0, 0, 100, null, CostSource.Catalogue,
            null, null, null, null, null, error ? EventStatus.Error : EventStatus.Success, error ? "upstream 502" : null,
            new Dictionary<string, string>(), null, null), false)).ToList();
        return new EventCopyWriter(ui.Db, new Partitions(ui.Db)).WriteAsync(rows);
    }
}

using System.Buffers;
using System.Text;
using LlmMonitor.Events;
using LlmMonitor.Storage;
using LlmMonitor.WebUi.Live;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Tests;

/// <summary>A call sent from a notice's fields is byte for byte the call the web-ui would send after reading it back.</summary>
public sealed class LiveFramesTests
{
    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 12, 2, 12, 0, 1, TimeSpan.Zero).AddTicks(4_560);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_call_from_a_notice_is_the_call_read_back(bool withOptionalFields)
    {
        var e = new LlmEvent(Guid.NewGuid(), new DateTimeOffset(2026, 12, 2, 13, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567), "claude-sonnet-4", "anthropic",
            1200, 340, 1540, 100, 20, 30, withOptionalFields ? 812.25 : null, withOptionalFields ? 0.001500m : null,
            withOptionalFields ? CostSource.Client : CostSource.Catalogue, withOptionalFields ? "4bf92f3577b34da6a3ce929d0e0e4736" : null,
            withOptionalFields ? "00f067aa0ba902b7" : null, withOptionalFields ? "1111222233334444" : null, withOptionalFields ? "s-1" : null,
            withOptionalFields ? "user-42" : null, withOptionalFields ? EventStatus.Error : EventStatus.Success,
            withOptionalFields ? "quota <exceeded> & \"retried\"\nnaïve 🙂" : null,
            withOptionalFields ? new Dictionary<string, string> { ["zz"] = "é", ["feature"] = "live", ["a"] = "<b>" } : new Dictionary<string, string>(),
            "input", "output");
        // What reading the stored row gives: the timestamp in whole microseconds (UTC), the tags in jsonb's key order.
        var readBack = new Conversation(e.EventId, new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), e.Model, e.Provider,
            e.PromptTokens, e.CompletionTokens, e.TotalTokens, e.CachedTokens, e.CacheWriteTokens, e.ReasoningTokens, e.LatencyMs, e.CostUsd,
            withOptionalFields ? "client" : "catalogue", e.TraceId, e.SpanId, e.ParentSpanId, e.SessionId, e.UserId, e.Status, e.ErrorMessage,
            e.Tags.OrderBy(t => t.Key.Length).ThenBy(t => t.Key, StringComparer.Ordinal).ToDictionary(), Created);
        var payload = $"{StoredEventsNotice.Micros(Created)},{Assert.Single(NoticePayloads.For([e]))}";

        var fromNotice = new ArrayBufferWriter<byte>();
        LiveFrames.WriteCalls(fromNotice, Assert.IsType<StoredEventsNotice.Calls>(StoredEventsNotice.Parse(payload)));
        var fromRead = new ArrayBufferWriter<byte>();
        LiveFrames.WriteCalls(fromRead, [readBack]);

        Assert.Equal(Encoding.UTF8.GetString(fromRead.WrittenSpan), Encoding.UTF8.GetString(fromNotice.WrittenSpan));
    }

    [Fact]
    public void A_notices_calls_are_one_frame_of_one_event_each()
    {
        var events = Enumerable.Range(0, 12).Select(i => new LlmEvent(Guid.NewGuid(), Created.AddSeconds(-i), "gpt-4o", "openai", 1, 2, 3, 0, 0, 0, null, null,
            CostSource.Catalogue, null, null, null, null, null, EventStatus.Success, null, new Dictionary<string, string>(), null, null)).ToList();
        var notice = (StoredEventsNotice.Calls)StoredEventsNotice.Parse($"{StoredEventsNotice.Micros(Created)},{Assert.Single(NoticePayloads.For(events))}")!;

        var frame = new ArrayBufferWriter<byte>();
        LiveFrames.WriteCalls(frame, notice);

        Assert.InRange(frame.WrittenCount, LiveFrames.Size(notice) - 12 * 4, LiveFrames.Size(notice));
        var text = Encoding.UTF8.GetString(frame.WrittenSpan);
        Assert.Equal(12, text.Split("event: call\ndata: {").Length - 1);
        Assert.Equal(12, text.Split("}\n\n").Length - 1);
        Assert.EndsWith("\"created_at\":\"2026-12-02T12:00:01.000456+00:00\"}\n\n", text);
    }

    [Theory]
    [InlineData("[\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"2026-12-02T12:00:00+00:00\"]")]
    [InlineData("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,{},22]")]
    public void A_notices_call_with_other_values_than_the_list_fields_is_refused(string call)
    {
        var notice = (StoredEventsNotice.Calls)StoredEventsNotice.Parse($"{StoredEventsNotice.Micros(Created)},{call}")!;

        Assert.Throws<FormatException>(() => LiveFrames.WriteCalls(new ArrayBufferWriter<byte>(), notice));
    }
}

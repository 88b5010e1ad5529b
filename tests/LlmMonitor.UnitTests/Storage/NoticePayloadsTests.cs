using System.Text;
using System.Text.Json;
using LlmMonitor.Events;
using LlmMonitor.Storage;

namespace LlmMonitor.UnitTests.Storage;

/// <summary>How a batch's stored calls are packed into notices, and how both notice forms are read.</summary>
public sealed class NoticePayloadsTests
{
    /// <summary>What PostgreSQL puts in front (the transaction's now() in microseconds): the longest until the year 2286.</summary>
    private const string Created = "9999999999999999,";

    private static readonly DateTimeOffset At = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Calls_are_packed_many_to_a_notice_each_in_exactly_one_and_every_notice_under_8000_bytes()
    {
        var events = Enumerable.Range(0, 2_000).Select(i => Event(At.AddMilliseconds(-i * 7), tags: Random.Shared.Next(0, 6), error: i % 13 == 0 ? new string('e', i % 500) : null)).ToList();

        var payloads = NoticePayloads.For(events);

        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(Created + p) < 8000, $"{Encoding.UTF8.GetByteCount(Created + p)} bytes"));
        var notices = payloads.Select(p => StoredEventsNotice.Parse(Created + p)).ToList();
        Assert.All(notices, n => Assert.IsType<StoredEventsNotice.Calls>(n));
        var announced = notices.Cast<StoredEventsNotice.Calls>().SelectMany(n => n.Json).Select(EventId).ToList();
        Assert.Equal(events.Select(e => e.EventId).Order(), announced.Order());
        Assert.InRange(payloads.Length, 2, events.Count / 10);
        // Packed: each notice but the last is too full for the next call.
        Assert.All(payloads[..^1], p => Assert.True(p.Length > StoredEventsNotice.MaxPayloadBytes - 1_000, $"{p.Length} characters"));
    }

    [Fact]
    public void Calls_are_announced_in_timestamp_order()
    {
        var events = Enumerable.Range(0, 300).Select(i => Event(At.AddSeconds(Random.Shared.Next(-600, 600)))).ToList();

        var announced = NoticePayloads.For(events).Select(p => StoredEventsNotice.Parse(Created + p)).Cast<StoredEventsNotice.Calls>()
            .SelectMany(n => n.Json).Select(EventId).ToList();

        Assert.Equal(events.OrderBy(e => e.Timestamp).Select(e => e.EventId), announced);
    }

    [Fact]
    public void Without_a_live_view_every_call_is_announced_by_id_once_in_timestamp_order_under_8000_bytes()
    {
        var events = Enumerable.Range(0, 1_000).Select(i => Event(At.AddSeconds(Random.Shared.Next(-600, 600)), tags: 50, tagValueLength: 256)).ToList();

        var payloads = NoticePayloads.IdsFor(events);

        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(Created + p) < 8000));
        var notices = payloads.Select(p => StoredEventsNotice.Parse(Created + p)).ToList();
        Assert.All(notices, n => Assert.IsType<StoredEventsNotice.Ids>(n));
        Assert.Equal(events.OrderBy(e => e.Timestamp).Select(e => e.EventId), notices.Cast<StoredEventsNotice.Ids>().SelectMany(n => n.EventIds));
        Assert.Equal(5, payloads.Length); // 230 a notice
    }

    [Fact]
    public void A_call_too_large_for_a_notice_of_its_own_is_announced_by_id_and_the_others_with_their_fields()
    {
        var big = Event(At, tags: 50, tagValueLength: 256);
        var longError = Event(At.AddSeconds(-1), error: new string('ü', 1_500)); // escaped as \u00FC: 9,000 bytes of JSON
        var small = Enumerable.Range(0, 40).Select(i => Event(At.AddMilliseconds(-i))).ToList();

        var payloads = NoticePayloads.For([.. small.Take(20), big, longError, .. small.Skip(20)]);

        Assert.All(payloads, p => Assert.True(Encoding.UTF8.GetByteCount(Created + p) < 8000));
        var notices = payloads.Select(p => StoredEventsNotice.Parse(Created + p)).ToList();
        var byId = Assert.Single(notices.OfType<StoredEventsNotice.Ids>());
        Assert.Equal(new[] { longError.EventId, big.EventId }, byId.EventIds);
        Assert.Equal(StoredCallJson.AsStored(longError.Timestamp), byId.First);
        Assert.Equal(StoredCallJson.AsStored(big.Timestamp), byId.Last);
        Assert.Equal(small.Select(e => e.EventId).Order(), notices.OfType<StoredEventsNotice.Calls>().SelectMany(n => n.Json).Select(EventId).Order());
    }

    [Fact]
    public void An_older_writers_id_notice_is_read()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        var notice = StoredEventsNotice.Parse($"1764676800123456,1764676700000001,1764676799999999,{a:N},{b:N}");

        var ids = Assert.IsType<StoredEventsNotice.Ids>(notice);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764676800123).AddTicks(4560), ids.Created);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764676700000).AddTicks(10), ids.First);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764676799999).AddTicks(9990), ids.Last);
        Assert.Equal(new[] { a, b }, ids.EventIds);
    }

    [Fact]
    public void A_calls_notice_is_read_as_one_json_array_per_call()
    {
        var events = new[] { Event(At, tags: 3), Event(At.AddSeconds(1), error: "line one\nline two") };
        var payload = Assert.Single(NoticePayloads.For(events));

        var notice = Assert.IsType<StoredEventsNotice.Calls>(StoredEventsNotice.Parse("1764676800123456," + payload));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764676800123).AddTicks(4560), notice.Created);
        Assert.Equal(2, notice.Json.Count);
        var second = JsonDocument.Parse(notice.Json[1]).RootElement;
        Assert.Equal(StoredCallJson.Fields.Length, second.GetArrayLength());
        Assert.Equal(events[1].EventId, Field(second, "event_id").GetGuid());
        Assert.Equal("line one\nline two", Field(second, "error_message").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1764676800123456")]
    [InlineData("x,1,2,0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("1764676800123456,1,2,not-an-id")]
    [InlineData("1764676800123456,[\"0f8fad5b-d9cb-469f-a165-70867728950e\"]\nnot json")]
    public void A_payload_of_another_format_is_ignored(string payload) => Assert.Null(StoredEventsNotice.Parse(payload));

    [Fact]
    public void The_fields_are_those_postgresql_keeps_timestamp_in_whole_microseconds_and_tags_in_jsonb_order()
    {
        var e = Event(new DateTimeOffset(2026, 12, 2, 13, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567), tags: 0) with
        {
            Tags = new Dictionary<string, string> { ["zz"] = "1", ["bbb"] = "2", ["a"] = "3", ["ab"] = "4" },
        };

        var json = JsonDocument.Parse(Assert.Single(NoticePayloads.For([e]))).RootElement;

        Assert.Equal("2026-12-02T12:00:00.123456+00:00", Field(json, "timestamp").GetString());
        Assert.Equal(["a", "ab", "zz", "bbb"], Field(json, "tags").EnumerateObject().Select(p => p.Name));
    }

    private static Guid EventId(ReadOnlyMemory<byte> json) => Field(JsonDocument.Parse(json).RootElement, "event_id").GetGuid();

    private static JsonElement Field(JsonElement call, string name) => call[Array.IndexOf(StoredCallJson.Fields, name)];

    private static LlmEvent Event(DateTimeOffset at, int tags = 2, int tagValueLength = 12, string? error = null) =>
        new(Guid.NewGuid(), at, "gpt-4o-mini", "openai", 1200, 340, 1540, 100, 0, 0, 812.25, 0.000384m, CostSource.Catalogue,
            "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", null, "session-1234", "user-42",
            error is null ? EventStatus.Success : EventStatus.Error, error,
            Enumerable.Range(0, tags).ToDictionary(i => $"tag{i:D2}", i => new string((char)('a' + i % 26), tagValueLength)), "input", "output");
}

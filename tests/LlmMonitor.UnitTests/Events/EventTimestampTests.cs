using static LlmMonitor.UnitTests.EventTestKit;

namespace LlmMonitor.UnitTests.Events;

/// <summary>
/// The timestamp rules. The fixed clock says 2025-06-15T12:00:00Z and retention is 30 days,
/// so 2025-05-16T12:00:00Z to 2025-06-16T12:00:00Z is accepted.
/// </summary>
public class EventTimestampTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset TimestampOf(string timestamp) =>
        Valid($$"""{"model":"m","timestamp":"{{timestamp}}"}""").Timestamp;

    [Theory]
    [InlineData("\"15/06/2025 10:00\"")]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2025-06-15T25:00:00Z\"")]
    [InlineData("\"\"")]
    [InlineData("1718445600")]
    [InlineData("{}")]
    public void Non_iso_timestamp_is_refused(string json) =>
        Invalid($$"""{"model":"m","timestamp":{{json}}}""", "timestamp");

    [Fact]
    public void Absent_timestamp_is_the_receive_time()
    {
        var receivedAt = FixedClock.Now.AddMinutes(-3);
        var ev = Validator().Validate(Read("""{"model":"m"}"""), receivedAt).Event;
        Assert.Equal(receivedAt, ev!.Timestamp);
    }

    [Fact]
    public void Older_than_retention_is_refused() =>
        Invalid("""{"model":"m","timestamp":"2025-05-16T11:59:59Z"}""", "timestamp");

    [Theory]
    [InlineData("2025-05-16T12:00:00Z")]
    [InlineData("2025-06-01T00:00:00Z")]
    public void Within_retention_is_accepted(string timestamp) =>
        Assert.Equal(Utc(timestamp), TimestampOf(timestamp));

    [Fact]
    public void Up_to_one_day_ahead_is_accepted() =>
        Assert.Equal(Utc("2025-06-16T12:00:00Z"), TimestampOf("2025-06-16T12:00:00Z"));

    [Fact]
    public void More_than_one_day_ahead_is_refused() =>
        Invalid("""{"model":"m","timestamp":"2025-06-16T12:00:01Z"}""", "timestamp");

    [Fact]
    public void Offset_is_converted_to_utc()
    {
        var ts = TimestampOf("2025-06-15T10:00:00+02:00");
        Assert.Equal(TimeSpan.Zero, ts.Offset);
        Assert.Equal(new DateTime(2025, 6, 15, 8, 0, 0), ts.DateTime);
    }

    [Fact]
    public void Negative_offset_is_converted_to_utc() =>
        Assert.Equal(new DateTime(2025, 6, 15, 11, 30, 0), TimestampOf("2025-06-15T06:30:00-05:00").UtcDateTime);

    [Fact]
    public void No_offset_means_utc()
    {
        var ts = TimestampOf("2025-06-15T10:00:00");
        Assert.Equal(TimeSpan.Zero, ts.Offset);
        Assert.Equal(new DateTime(2025, 6, 15, 10, 0, 0), ts.DateTime);
    }

    [Fact]
    public void Milliseconds_are_kept() =>
        Assert.Equal(Utc("2025-06-15T10:00:00.123Z"), TimestampOf("2025-06-15T10:00:00.123Z"));

    [Fact]
    public void Sub_microsecond_digits_are_truncated() =>
        Assert.Equal(Utc("2025-06-15T10:00:00.123456Z"), TimestampOf("2025-06-15T10:00:00.1234567Z"));

    [Fact]
    public void Nanosecond_precision_is_accepted_and_truncated() =>
        // RFC 3339 allows any number of fraction digits; Go's time.RFC3339Nano sends nine.
        Assert.Equal(Utc("2025-06-15T10:00:00.123456Z"), TimestampOf("2025-06-15T10:00:00.123456789Z"));
}

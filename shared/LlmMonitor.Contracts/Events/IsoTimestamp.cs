using System.Globalization;

namespace LlmMonitor.Events;

/// <summary>Strict ISO 8601 date-times; a value without an offset is taken as UTC.</summary>
public static partial class IsoTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd",
    ];

    /// <summary>Fast path for the common form with an explicit offset (…Z or …+02:00), read without allocating.</summary>
    public static bool TryRead(ref System.Text.Json.Utf8JsonReader reader, out DateTimeOffset value)
    {
        var raw = reader.ValueSpan;
        var hasOffset = !reader.ValueIsEscaped && !reader.HasValueSequence && raw.Length > 10
                        && (raw[^1] is (byte)'Z' or (byte)'z' || raw[^6] is (byte)'+' or (byte)'-');
        if (hasOffset && reader.TryGetDateTimeOffset(out value))
        {
            value = new DateTimeOffset(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
            return true;
        }

        value = default;
        return false;
    }

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        // .NET parses at most 7 fraction digits; RFC 3339 senders (Go, Java) may send 9.
        text = ExtraFractionDigits().Replace(text, "$1");
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            // PostgreSQL keeps microseconds; truncating here keeps the stored key equal to the validated one.
            value = new DateTimeOffset(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);
            return true;
        }

        return false;
    }

    private const string Written = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Written, CultureInfo.InvariantCulture);

    /// <summary><see cref="Format"/> as UTF-8 straight into <paramref name="destination"/> (32 bytes), without allocating.</summary>
    public static int FormatUtf8(DateTimeOffset value, Span<byte> destination) =>
        value.UtcDateTime.TryFormat(destination, out var written, Written, CultureInfo.InvariantCulture)
            ? written
            : throw new ArgumentException("A timestamp takes 27 bytes.", nameof(destination));

    [System.Text.RegularExpressions.GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial System.Text.RegularExpressions.Regex ExtraFractionDigits();
}

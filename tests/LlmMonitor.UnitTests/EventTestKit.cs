using System.Text;
using System.Text.Json;
using LlmMonitor.Events;

namespace LlmMonitor.UnitTests;

/// <summary>Reads and validates event JSON the way every ingest path does, against a fixed clock.</summary>
public static class EventTestKit
{
    public const int RetentionDays = 30;

    public static EventValidator Validator() => new(new FixedClock(), RetentionDays);

    public static EventInput Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return EventJsonReader.Read(ref reader);
    }

    public static EventValidationResult Validate(string json) => Validator().Validate(Read(json), FixedClock.Now);

    /// <summary>Validates and asserts success.</summary>
    public static LlmEvent Valid(string json)
    {
        var result = Validate(json);
        Assert.True(result.IsValid, $"expected valid, got: {result.Errors}");
        return result.Event!;
    }

    /// <summary>Validates, asserts failure, and asserts that <paramref name="field"/> is among the errors.</summary>
    public static string[] Invalid(string json, string field)
    {
        var result = Validate(json);
        Assert.False(result.IsValid, "expected the event to be refused");
        Assert.True(result.Errors.TryGetValue(field, out var reasons), $"expected an error on '{field}', got: {result.Errors}");
        return reasons!;
    }

    /// <summary>A JSON string literal (escaped) for any .NET string, lone surrogates included.</summary>
    public static string Str(string value) => JsonSerializer.Serialize(value);
}

using System.Text.Json.Serialization;

namespace LlmMonitor.Client;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<LlmCallEvent>))]
[JsonSerializable(typeof(BatchAnswer))]
internal sealed partial class EventJsonContext : JsonSerializerContext;

/// <summary>The gateway's answer to a batch: accepted ids and refused events.</summary>
internal sealed record BatchAnswer(
    [property: JsonPropertyName("accepted")] List<Guid>? Accepted,
    [property: JsonPropertyName("rejected")] List<System.Text.Json.JsonElement>? Rejected);

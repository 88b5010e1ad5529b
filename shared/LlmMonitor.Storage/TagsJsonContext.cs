using System.Text.Json.Serialization;

namespace LlmMonitor.Storage;

[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class TagsJsonContext : JsonSerializerContext;

using System.Buffers;
using System.Text.Json;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// Server-Sent Events frames, formatted once for every subscriber: <c>event: call</c> per stored call (its list fields,
/// never input or output) and <c>event: stats</c>, in the JSON of the read API (snake_case; the overview is the one
/// of /api/metrics/overview). JSON holds no raw newline, so each event's data is one <c>data:</c> line.
/// </summary>
public static class LiveFrames
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Tells EventSource to reconnect after 5 s when a stream ends.</summary>
    public static readonly byte[] Opening = "retry: 5000\n\n"u8.ToArray();

    /// <summary>All the calls of one read, in the order they were announced, as one frame.</summary>
    public static ReadOnlyMemory<byte> Calls(IEnumerable<Conversation> calls)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        foreach (var call in calls)
        {
            Write(buffer, "call", call with { Input = null, Output = null });
        }

        return buffer.WrittenMemory;
    }

    public static ReadOnlyMemory<byte> Stats(Overview overview)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(buffer, "stats", overview);
        return buffer.WrittenMemory;
    }

    private static void Write<T>(ArrayBufferWriter<byte> buffer, string name, T value)
    {
        buffer.Write("event: "u8);
        buffer.Write(System.Text.Encoding.UTF8.GetBytes(name));
        buffer.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, value, Json);
        }

        buffer.Write("\n\n"u8);
    }
}

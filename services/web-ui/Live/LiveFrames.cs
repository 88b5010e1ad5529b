using System.Buffers;
using System.Text.Json;
using LlmMonitor.Storage;
using LlmMonitor.WebUi.Queries;

namespace LlmMonitor.WebUi.Live;

/// <summary>
/// Server-Sent Events frames, formatted once for every subscriber: <c>event: call</c> per stored call (its list fields,
/// never input or output; many calls in one frame) and <c>event: stats</c>, in the JSON of the read API (snake_case; the overview is the one
/// of /api/metrics/overview). JSON holds no raw newline, so each event's data is one <c>data:</c> line.
/// </summary>
public static class LiveFrames
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Tells EventSource to reconnect after 5 s when a stream ends.</summary>
    public static readonly byte[] Opening = "retry: 5000\n\n"u8.ToArray();

    /// <summary>Calls read back from llm_events, in the order given, appended to a frame being built.</summary>
    public static void WriteCalls(ArrayBufferWriter<byte> frame, IEnumerable<Conversation> calls)
    {
        foreach (var call in calls)
        {
            Write(frame, "call", call with { Input = null, Output = null });
        }
    }

    /// <summary>
    /// The calls of a notice, appended to a frame being built: each one's JSON as the writer built it (the fields and
    /// their order those of <see cref="Conversation"/> without input and output), with created_at added as its last field.
    /// </summary>
    public static void WriteCalls(ArrayBufferWriter<byte> frame, StoredEventsNotice.Calls notice)
    {
        var createdAt = JsonSerializer.SerializeToUtf8Bytes(notice.Created, Json);
        foreach (var call in notice.Json)
        {
            frame.Write("event: call\ndata: "u8);
            frame.Write(call.Span[..^1]);
            frame.Write(",\"created_at\":"u8);
            frame.Write(createdAt);
            frame.Write("}\n\n"u8);
        }
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

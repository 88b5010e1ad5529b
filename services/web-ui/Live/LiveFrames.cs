using System.Buffers;
using System.Text;
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

    /// <summary><c>{"event_id":</c>, <c>,"timestamp":</c>, …: each list field's name in front of its value.</summary>
    private static readonly byte[][] FieldNames = StoredCallJson.Fields.Select((name, i) => Encoding.UTF8.GetBytes($"{(i == 0 ? "{" : ",")}\"{name}\":")).ToArray();

    /// <summary>
    /// What a notice's call gets around its values: <c>event: call\ndata: </c>, the names, <c>,"created_at":</c> with a quoted
    /// timestamp of at most 34 characters, and <c>}</c> and the blank line; less the array's brackets and commas, not copied.
    /// </summary>
    private static readonly int CallFraming = 18 + FieldNames.Sum(n => n.Length) + 14 + 34 + 3 - (FieldNames.Length + 1);

    /// <summary>Calls read back from llm_events, in the order given, appended to a frame being built.</summary>
    public static void WriteCalls(ArrayBufferWriter<byte> frame, IEnumerable<Conversation> calls)
    {
        foreach (var call in calls)
        {
            Write(frame, "call", call with { Input = null, Output = null });
        }
    }

    /// <summary>
    /// The calls of a notice, appended to a frame being built: each one's values as the writer wrote them (the fields and
    /// their order those of <see cref="Conversation"/> without input and output), each behind its name, and created_at
    /// last. Nothing is parsed into objects: the reader only finds where each value's JSON starts and ends.
    /// </summary>
    public static void WriteCalls(ArrayBufferWriter<byte> frame, StoredEventsNotice.Calls notice)
    {
        var createdAt = JsonSerializer.SerializeToUtf8Bytes(notice.Created, Json);
        foreach (var call in notice.Json)
        {
            frame.Write("event: call\ndata: "u8);
            var values = new Utf8JsonReader(call.Span);
            values.Read();
            var field = 0;
            while (values.Read() && values.TokenType != JsonTokenType.EndArray && field < FieldNames.Length)
            {
                var start = (int)values.TokenStartIndex;
                values.Skip();
                frame.Write(FieldNames[field++]);
                frame.Write(call.Span[start..(int)values.BytesConsumed]);
            }

            if (field != FieldNames.Length || values.TokenType != JsonTokenType.EndArray)
            {
                throw new FormatException($"A notice's call has other values than the {FieldNames.Length} list fields");
            }

            frame.Write(",\"created_at\":"u8);
            frame.Write(createdAt);
            frame.Write("}\n\n"u8);
        }
    }

    /// <summary>The bytes <see cref="WriteCalls(ArrayBufferWriter{byte}, StoredEventsNotice.Calls)"/> writes for a notice, or a few more.</summary>
    public static int Size(StoredEventsNotice.Calls notice)
    {
        var size = 0;
        foreach (var call in notice.Json)
        {
            size += call.Length + CallFraming;
        }

        return size;
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

using System.Buffers;

namespace LlmMonitor.Client.Http;

/// <summary>
/// Splits a server-sent-events byte stream into events as bytes arrive, and hands each event's data (its
/// <c>data:</c> lines joined) to a callback. Comments, <c>event:</c>, <c>id:</c> lines and <c>[DONE]</c> are skipped.
/// </summary>
internal sealed class SseParser(Action<ReadOnlyMemory<byte>> onData)
{
    private const int MaxEventBytes = 4 * 1024 * 1024;
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly ArrayBufferWriter<byte> _data = new();
    private bool _overflow;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                Append(_line, bytes);
                return;
            }

            Append(_line, bytes[..end]);
            EndLine();
            bytes = bytes[(end + 1)..];
        }
    }

    /// <summary>The stream ended: an event not closed by a blank line still counts.</summary>
    public void Finish()
    {
        if (_line.WrittenCount > 0)
        {
            EndLine();
        }

        Dispatch();
    }

    private void EndLine()
    {
        var line = _line.WrittenSpan;
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (line.IsEmpty)
        {
            Dispatch();
        }
        else if (line.StartsWith("data:"u8))
        {
            var value = line[5..];
            if (value.StartsWith(" "u8))
            {
                value = value[1..];
            }

            if (_data.WrittenCount > 0)
            {
                Append(_data, "\n"u8);
            }

            Append(_data, value);
        }

        _line.ResetWrittenCount();
    }

    private void Dispatch()
    {
        if (_data.WrittenCount > 0 && !_overflow && !_data.WrittenSpan.SequenceEqual("[DONE]"u8))
        {
            onData(_data.WrittenMemory);
        }

        _data.ResetWrittenCount();
        _overflow = false;
    }

    private void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        // An event larger than any real one is skipped rather than held in memory.
        if (buffer.WrittenCount + bytes.Length > MaxEventBytes)
        {
            _overflow = true;
            return;
        }

        buffer.Write(bytes);
    }
}

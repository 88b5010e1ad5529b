using System.Buffers;
using System.Text;

namespace LlmMonitor.Storage.Rollups;

/// <summary>One value's row of tag sums, as a pack holds it; <see cref="LastSeen"/> is null in packs that keep none.</summary>
public readonly record struct PackedSums(string Value, long Requests, long Errors, long Tokens, decimal Cost, long Unpriced, DateTimeOffset? LastSeen);

/// <summary>
/// Rows of tag sums packed into one bytea: an hour of one model and key (migration 0019), or a running-total boundary
/// of one key (0020). Layout: a format byte (<see cref="WithLastSeen"/> or <see cref="WithoutLastSeen"/>), a time (µs
/// since the Unix epoch: the hour, or the boundary), the row count, then per row the value (UTF-8, length first),
/// requests, errors, tokens, the cost, unpriced calls and, in the first format, last_seen (µs after the time). Integers
/// are zigzag varints; the cost is a byte of scale and sign (0x80; 0x40: a high word follows) and its 96-bit mantissa
/// as two varints.
/// </summary>
public static class TagSumPack
{
    public const byte WithLastSeen = 1;

    public const byte WithoutLastSeen = 2;

    /// <param name="rows">Every one with a last_seen, or none.</param>
    public static byte[] Write(DateTimeOffset at, IReadOnlyCollection<PackedSums> rows)
    {
        var withLastSeen = rows.All(r => r.LastSeen is not null);
        if (!withLastSeen && rows.Any(r => r.LastSeen is not null))
        {
            throw new ArgumentException("a pack keeps the last_seen of every row or of none", nameof(rows));
        }

        var buffer = new ArrayBufferWriter<byte>(16 + rows.Count * 40);
        var atMicros = Micros(at);
        Byte(buffer, withLastSeen ? WithLastSeen : WithoutLastSeen);
        Signed(buffer, atMicros);
        Signed(buffer, rows.Count);
        foreach (var row in rows)
        {
            var length = Encoding.UTF8.GetByteCount(row.Value);
            Signed(buffer, length);
            Encoding.UTF8.GetBytes(row.Value, buffer.GetSpan(length));
            buffer.Advance(length);
            Signed(buffer, row.Requests);
            Signed(buffer, row.Errors);
            Signed(buffer, row.Tokens);
            Cost(buffer, row.Cost);
            Signed(buffer, row.Unpriced);
            if (row.LastSeen is { } lastSeen)
            {
                Signed(buffer, Micros(lastSeen) - atMicros);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Every row of a pack, decoded (tests and checks; the rankings use <see cref="TagSumPackReader"/>).</summary>
    public static List<PackedSums> ReadAll(ReadOnlySpan<byte> pack)
    {
        var reader = new TagSumPackReader(pack);
        var rows = new List<PackedSums>(reader.Count);
        while (reader.Next())
        {
            rows.Add(new(Encoding.UTF8.GetString(reader.Value), reader.Requests, reader.Errors, reader.Tokens, reader.Cost, reader.Unpriced,
                reader.LastSeen));
        }

        return rows;
    }

    internal static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static void Byte(ArrayBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private static void Signed(ArrayBufferWriter<byte> buffer, long value) => Unsigned(buffer, (ulong)((value << 1) ^ (value >> 63)));

    private static void Unsigned(ArrayBufferWriter<byte> buffer, ulong value)
    {
        var span = buffer.GetSpan(10);
        var i = 0;
        for (; value >= 0x80; value >>= 7)
        {
            span[i++] = (byte)(value | 0x80);
        }

        span[i++] = (byte)value;
        buffer.Advance(i);
    }

    private static void Cost(ArrayBufferWriter<byte> buffer, decimal cost)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(cost, bits);
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        var negative = bits[3] < 0;
        Byte(buffer, (byte)(scale | (negative ? 0x80 : 0) | (bits[2] != 0 ? 0x40 : 0)));
        Unsigned(buffer, ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        if (bits[2] != 0)
        {
            Unsigned(buffer, (uint)bits[2]);
        }
    }
}

/// <summary>Reads a <see cref="TagSumPack"/> row by row without allocating; a pack cut short or of another format throws.</summary>
public ref struct TagSumPackReader
{
    private readonly ReadOnlySpan<byte> _pack;
    private readonly bool _withLastSeen;
    private readonly long _atMicros;
    private int _at;
    private int _left;
    private long _lastSeenMicros;

    public TagSumPackReader(ReadOnlySpan<byte> pack)
    {
        _pack = pack;
        if (pack.IsEmpty || pack[0] is not (TagSumPack.WithLastSeen or TagSumPack.WithoutLastSeen))
        {
            throw new InvalidDataException("not a tag sum pack of a known format");
        }

        _withLastSeen = pack[0] == TagSumPack.WithLastSeen;
        _at = 1;
        _atMicros = Signed();
        Count = checked((int)Signed());
        _left = Count;
    }

    public int Count { get; }

    public ReadOnlySpan<byte> Value { get; private set; }

    public long Requests { get; private set; }

    public long Errors { get; private set; }

    public long Tokens { get; private set; }

    public decimal Cost { get; private set; }

    public long Unpriced { get; private set; }

    public readonly DateTimeOffset? LastSeen => _withLastSeen ? DateTimeOffset.UnixEpoch.AddTicks((_atMicros + _lastSeenMicros) * 10) : null;

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Next()
    {
        if (_left == 0)
        {
            if (_at != _pack.Length)
            {
                throw new InvalidDataException("a tag sum pack holds more than its rows");
            }

            return false;
        }

        _left--;
        var length = checked((int)Signed());
        if (length < 0 || length > _pack.Length - _at)
        {
            throw new InvalidDataException("a tag sum pack is cut short");
        }

        Value = _pack.Slice(_at, length);
        _at += length;
        Requests = Signed();
        Errors = Signed();
        Tokens = Signed();
        Cost = ReadCost();
        Unpriced = Signed();
        _lastSeenMicros = _withLastSeen ? Signed() : 0;
        return true;
    }

    private decimal ReadCost()
    {
        var flags = Byte();
        var low = Unsigned();
        var high = (flags & 0x40) != 0 ? checked((uint)Unsigned()) : 0u;
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)high, (flags & 0x80) != 0, (byte)(flags & 0x3F));
    }

    private long Signed()
    {
        var value = Unsigned();
        return (long)(value >> 1) ^ -(long)(value & 1);
    }

    private ulong Unsigned()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("a tag sum pack holds a malformed number");
    }

    private byte Byte() => _at < _pack.Length ? _pack[_at++] : throw new InvalidDataException("a tag sum pack is cut short");
}

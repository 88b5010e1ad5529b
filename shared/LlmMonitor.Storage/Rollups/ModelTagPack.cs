using System.Buffers;
using System.Text;

namespace LlmMonitor.Storage.Rollups;

/// <summary>One value's row in the tag sums per model (migration 0016), as a pack holds it.</summary>
public readonly record struct PackedSums(string Value, long Requests, long Errors, long Tokens, decimal Cost, long Unpriced, DateTimeOffset LastSeen);

/// <summary>
/// The rows of one model, tag key and hour of the tag sums per model packed into one bytea (migration 0019). Layout:
/// a version byte (1), the hour (µs since the Unix epoch), the row count, then per row the value (UTF-8, length first),
/// requests, errors, tokens, the cost, unpriced calls and last_seen (µs after the hour). Integers are zigzag varints;
/// the cost is a byte of scale and sign (0x80; 0x40: a high word follows) and its 96-bit mantissa as two varints.
/// </summary>
public static class ModelTagPack
{
    public const byte Version = 1;

    public static byte[] Write(DateTimeOffset hour, IReadOnlyCollection<PackedSums> rows)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + rows.Count * 40);
        var hourMicros = Micros(hour);
        Byte(buffer, Version);
        Signed(buffer, hourMicros);
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
            Signed(buffer, Micros(row.LastSeen) - hourMicros);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Every row of a pack, decoded (tests and checks; the rankings use <see cref="ModelTagPackReader"/>).</summary>
    public static List<PackedSums> ReadAll(ReadOnlySpan<byte> pack)
    {
        var reader = new ModelTagPackReader(pack);
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

/// <summary>Reads a <see cref="ModelTagPack"/> row by row without allocating; a pack cut short or of another version throws.</summary>
public ref struct ModelTagPackReader
{
    private readonly ReadOnlySpan<byte> _pack;
    private readonly long _hourMicros;
    private int _at;
    private int _left;
    private long _lastSeenMicros;

    public ModelTagPackReader(ReadOnlySpan<byte> pack)
    {
        _pack = pack;
        if (pack.IsEmpty || pack[0] != ModelTagPack.Version)
        {
            throw new InvalidDataException($"not a model tag pack of version {ModelTagPack.Version}");
        }

        _at = 1;
        _hourMicros = Signed();
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

    public readonly DateTimeOffset LastSeen => DateTimeOffset.UnixEpoch.AddTicks((_hourMicros + _lastSeenMicros) * 10);

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Next()
    {
        if (_left == 0)
        {
            if (_at != _pack.Length)
            {
                throw new InvalidDataException("a model tag pack holds more than its rows");
            }

            return false;
        }

        _left--;
        var length = checked((int)Signed());
        if (length < 0 || length > _pack.Length - _at)
        {
            throw new InvalidDataException("a model tag pack is cut short");
        }

        Value = _pack.Slice(_at, length);
        _at += length;
        Requests = Signed();
        Errors = Signed();
        Tokens = Signed();
        Cost = ReadCost();
        Unpriced = Signed();
        _lastSeenMicros = Signed();
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

        throw new InvalidDataException("a model tag pack holds a malformed number");
    }

    private byte Byte() => _at < _pack.Length ? _pack[_at++] : throw new InvalidDataException("a model tag pack is cut short");
}

namespace LlmMonitor.IngestGateway.Otlp;

/// <summary>
/// Reads the protobuf wire format (varint, fixed32/64, length-delimited) from a buffer, without a schema and
/// without allocating. Every read checks its bounds and throws <see cref="OtlpFormatException"/> on a bad body.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <returns>False at the end of the buffer.</returns>
    public bool TryReadTag(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (End)
        {
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field <= 0 || tag >> 3 > int.MaxValue)
        {
            throw new OtlpFormatException($"invalid protobuf field number at byte {_position}");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (End)
            {
                throw Truncated();
            }

            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new OtlpFormatException($"a protobuf varint is longer than 10 bytes at byte {_position}");
    }

    public ulong ReadFixed64()
    {
        var bytes = Take(8);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public uint ReadFixed32() => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public double ReadDouble() => BitConverter.Int64BitsToDouble((long)ReadFixed64());

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Truncated();
        }

        return Take((int)length);
    }

    public string ReadString()
    {
        try
        {
            return Strict.GetString(ReadBytes());
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new OtlpFormatException("a protobuf string is not valid UTF-8");
        }
    }

    /// <summary>Skips a field of a type the caller does not read.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Take(8);
                break;
            case LengthDelimited:
                ReadBytes();
                break;
            case Fixed32:
                Take(4);
                break;
            default:
                // Groups (3, 4) are long deprecated and never used by OTLP.
                throw new OtlpFormatException($"unsupported protobuf wire type {wireType}");
        }
    }

    /// <summary>Checks that a field has the wire type its schema gives it.</summary>
    public static void Expect(int wireType, int expected, string field)
    {
        if (wireType != expected)
        {
            throw new OtlpFormatException($"field '{field}' has protobuf wire type {wireType}, expected {expected}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Truncated();
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly OtlpFormatException Truncated() => new($"the protobuf message is truncated at byte {_position}");

    private static readonly System.Text.UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}

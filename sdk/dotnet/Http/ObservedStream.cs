namespace LlmMonitor.Client.Http;

/// <summary>
/// A streamed response body passed through to the caller unchanged, while every byte read also goes to an
/// observer. <paramref name="onEnd"/> runs once: at the end of the stream, on a read error, or when the caller
/// disposes the stream before its end.
/// </summary>
internal sealed class ObservedStream(Stream inner, Action<ReadOnlySpan<byte>> observe, Action<Exception?> onEnd) : Stream
{
    private int _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception e)
        {
            End(e);
            throw;
        }

        if (!buffer.IsEmpty)
        {
            Seen(buffer[..read]);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            End(e);
            throw;
        }

        if (!buffer.IsEmpty)
        {
            Seen(buffer.Span[..read]);
        }

        return read;
    }

    private void Seen(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            End(null);
            return;
        }

        try
        {
            observe(bytes);
        }
        catch (Exception)
        {
            // Watching must never break the caller's stream.
        }
    }

    private void End(Exception? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            try
            {
                onEnd(error);
            }
            catch (Exception)
            {
                // Recording must never break the caller's stream.
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            End(null);
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        End(null);
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

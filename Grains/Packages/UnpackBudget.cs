namespace OrleansFunc.Packages;

/// <summary>
/// The bytes one package may still unpack to (<see cref="PackageLimits.MaxUnpackedBytes"/>): entries are
/// read through it, counted as they are read, and refused the moment the total passes the limit, so
/// a bomb is never held whole in memory.
/// </summary>
public sealed class UnpackBudget
{
    private long _left = PackageLimits.MaxUnpackedBytes;

    /// <summary>The entry's content, refused up front when it declares more than is left and while reading when it unpacks to more.</summary>
    public Stream Open(System.IO.Compression.ZipArchiveEntry entry)
    {
        if (entry.Length > _left)
        {
            throw PackageLimits.TooLarge();
        }
        return new CountedStream(entry.Open(), this);
    }

    private void Spend(int bytes)
    {
        _left -= bytes;
        if (_left < 0)
        {
            throw PackageLimits.TooLarge();
        }
    }

    /// <summary>A read-only view of an entry that spends the budget as bytes come out.</summary>
    private sealed class CountedStream(Stream inner, UnpackBudget budget) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            budget.Spend(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            budget.Spend(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

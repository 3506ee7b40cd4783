using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// A small OTLP/HTTP receiver (the OpenTelemetry collector is not packaged for Debian): takes what a server pushes to
/// <c>/v1/traces</c> and <c>/v1/metrics</c>, keeps the spans it decodes from the protobuf, and counts the metric exports.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public sealed record Span(string TraceId, string SpanId, string ParentSpanId, string Name, string Scope, IReadOnlyDictionary<string, string> Attributes);

    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly ConcurrentQueue<Span> _spans = new();
    private int _metricExports;
    private volatile bool _stopping;

    public OtlpReceiver()
    {
        Port = HostProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<Span> Spans => [.. _spans];

    public int MetricExports => Volatile.Read(ref _metricExports);

    /// <summary>Takes each export on its own task: one exporter slow or cut off holds up no other host's.</summary>
    private async Task ServeAsync()
    {
        var exports = new List<Task>();
        while (!_stopping)
        {
            try
            {
                exports.Add(TakeAsync(await _listener.GetContextAsync()));
            }
            catch (Exception) when (_stopping)
            {
                break;
            }
            exports.RemoveAll(export => export.IsCompleted);
        }
        await Task.WhenAll(exports);
    }

    /// <summary>
    /// One export; one that breaks off (its host killed, or the receiver stopping while it is sent) is dropped, as a
    /// collector drops it: its sender retries or gives up, and that is all the tests may see of it.
    /// </summary>
    private async Task TakeAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url!.AbsolutePath == "/v1/traces")
            {
                foreach (var span in ReadTraces(body.ToArray()))
                {
                    _spans.Enqueue(span);
                }
            }
            else if (context.Request.Url.AbsolutePath == "/v1/metrics")
            {
                Interlocked.Increment(ref _metricExports);
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
        catch (Exception cut) when (cut is IOException or HttpListenerException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }

    /// <summary>ExportTraceServiceRequest: resource_spans(1) → scope_spans(2) → scope(1).name(1), spans(2).</summary>
    private static IEnumerable<Span> ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                var scope = Fields(scopeSpans.Bytes).Where(f => f.Number == 1).Select(f => Text(Fields(f.Bytes), 1)).FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    var fields = Fields(span.Bytes).ToList();
                    var attributes = fields.Where(f => f.Number == 9).Select(f => Fields(f.Bytes).ToList())
                        .ToDictionary(kv => Text(kv, 1), kv => kv.Where(f => f.Number == 2).Select(v => AnyValue(v.Bytes)).FirstOrDefault() ?? "");
                    yield return new Span(Hex(fields, 1), Hex(fields, 2), Hex(fields, 4), Text(fields, 5), scope, attributes);
                }
            }
        }
    }

    private static string AnyValue(byte[] value)
    {
        var field = Fields(value).FirstOrDefault();
        return field.Number switch
        {
            1 => Encoding.UTF8.GetString(field.Bytes),
            2 or 3 => field.Varint.ToString(),
            4 => BitConverter.Int64BitsToDouble((long)field.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        };
    }

    private static string Text(IEnumerable<Field> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => Encoding.UTF8.GetString(f.Bytes)).FirstOrDefault() ?? "";

    private static string Hex(IEnumerable<Field> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => Convert.ToHexStringLower(f.Bytes)).FirstOrDefault() ?? "";

    private readonly record struct Field(int Number, ulong Varint, byte[] Bytes);

    /// <summary>The fields of one protobuf message (varints, fixed numbers as their bits, length-delimited as bytes).</summary>
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return new Field(number, ReadVarint(message, ref position), []);
                    break;
                case 1:
                    yield return new Field(number, BitConverter.ToUInt64(message, position), []);
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return new Field(number, 0, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, BitConverter.ToUInt32(message, position), []);
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {tag & 7} at {position}");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    /// <summary>
    /// The listener's Stop fails a waiting GetContext before IsListening turns false, and a GetContext begun in that gap
    /// waits for ever; so the receiver keeps its own flag, and Close (after Stop has turned the state) fails any such
    /// late waiter.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}

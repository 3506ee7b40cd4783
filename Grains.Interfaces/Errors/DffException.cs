using System.Text.Json;

namespace OrleansFunc.Errors;

/// <summary>
/// The one error type of the platform: a broken rule, carried unchanged from a grain to the
/// HTTP edge, where it becomes the envelope. <see cref="Reason"/> is the full reason
/// (for example <c>EClientBadRequest.InvalidId</c>), <see cref="DetailJson"/> optional details.
/// </summary>
[GenerateSerializer, Alias("of.DffException")]
public sealed class DffException : Exception
{
    public DffException(ErrorKind kind, string? subReason, string message, object? detail = null)
        : base(message)
    {
        Kind = kind;
        Reason = subReason is null ? kind.Describe().Reason : $"{kind.Describe().Reason}.{subReason}";
        DetailJson = detail is null ? null : JsonSerializer.Serialize(detail, DetailJsonOptions);
    }

    [Id(0)] public ErrorKind Kind { get; private set; }

    [Id(1)] public string Reason { get; private set; }

    [Id(2)] public string? DetailJson { get; private set; }

    private static readonly JsonSerializerOptions DetailJsonOptions = new(JsonSerializerDefaults.Web);

    public static DffException BadRequest(string subReason, string message, object? detail = null) =>
        new(ErrorKind.BadRequest, subReason, message, detail);

    public static DffException NotFound(string subReason, string message, object? detail = null) =>
        new(ErrorKind.NotFound, subReason, message, detail);

    public static DffException Condition(string subReason, string message, object? detail = null) =>
        new(ErrorKind.BizCondition, subReason, message, detail);

    public static DffException Duplicated(string subReason, string message, object? detail = null) =>
        new(ErrorKind.Duplicated, subReason, message, detail);
}

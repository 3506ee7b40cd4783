namespace OrleansFunc.Errors;

/// <summary>Every kind of error the API can answer with; <see cref="ErrorKinds"/> holds their codes.</summary>
public enum ErrorKind
{
    BadPassword,
    NotSignedIn,
    NoPrivilege,
    UserLocked,
    BizCondition,
    DraftConflict,
    NotFound,
    Duplicated,
    BadRequest,
    RateLimited,
    ApiAuthFailed,
    PublishFailed,
    ApiTimeout,
    ScriptPreCheck,
    FuncFailed,
    FuncTimeout,
    ResultNotSerializable,
    WorkerNoResponse,
    Internal,
}

/// <summary>The envelope's numeric code (the HTTP status is its integer part) and reason prefix.</summary>
public sealed record ErrorDescriptor(double Code, string Reason, string DefaultMessage)
{
    public int HttpStatus => (int)Math.Truncate(Code);
}

/// <summary>The one table of error codes, following DataFlux Func 1.x.</summary>
public static class ErrorKinds
{
    private static readonly Dictionary<ErrorKind, ErrorDescriptor> Table = new()
    {
        [ErrorKind.BadPassword] = new(400.12, "EUserPassword", "Invalid username or password"),
        [ErrorKind.NotSignedIn] = new(401.14, "EUserAuth", "Not signed in, or the sign-in has expired"),
        [ErrorKind.NoPrivilege] = new(403.15, "EUserPrivilege", "Your role does not allow this operation"),
        [ErrorKind.UserLocked] = new(401.17, "EUserLocked", "Too many wrong passwords; try again later"),
        [ErrorKind.BizCondition] = new(403.21, "EBizCondition", "The operation is not allowed in the current state"),
        [ErrorKind.DraftConflict] = new(409.25, "EBizRequestConflict", "The draft was changed by someone else"),
        [ErrorKind.NotFound] = new(404.41, "EClientNotFound", "Not found"),
        [ErrorKind.Duplicated] = new(409.42, "EClientDuplicated", "Already exists"),
        [ErrorKind.BadRequest] = new(400.43, "EClientBadRequest", "Bad request"),
        [ErrorKind.RateLimited] = new(429.46, "EClientRateLimit", "Maximum calling rate exceeded"),
        [ErrorKind.ApiAuthFailed] = new(401.99, "EAPIAuth", "API authentication failed"),
        [ErrorKind.PublishFailed] = new(400.9, "EScriptPublishFailed", "The script did not pass the publish check"),
        [ErrorKind.ApiTimeout] = new(599.1, "EAPITimeout", "Waiting for the func result timed out"),
        [ErrorKind.ScriptPreCheck] = new(599.2, "EScriptPreCheck", "The script failed to run"),
        [ErrorKind.FuncFailed] = new(599.3, "EFuncFailed", "The func raised an error"),
        [ErrorKind.FuncTimeout] = new(599.31, "EFuncTimeout", "The func ran past its time limit"),
        [ErrorKind.ResultNotSerializable] = new(599.4, "EFuncResultParsingFailed", "The func result cannot be serialized as JSON"),
        [ErrorKind.WorkerNoResponse] = new(599.99, "EWorkerNoResponse", "No worker answered in time"),
        [ErrorKind.Internal] = new(500.5, "ESys", "Internal error"),
    };

    public static ErrorDescriptor Describe(this ErrorKind kind) => Table[kind];
}

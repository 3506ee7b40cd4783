namespace OrleansFunc.Engine.Protocol;

/// <summary>
/// The bodies of the frames of <see cref="MessageKind"/>, field by field, with who writes them.
/// Compiled into the silo and the .NET worker; the Python runtime has the same names in
/// <c>Runtime/dff_protocol.py</c>, and <c>WorkerProtocolMirrorTests</c> fails when the two disagree.
/// </summary>
internal static class WorkerMessages
{
    /// <summary>Worker → silo, <see cref="MessageKind.Ready"/>, once: Python is loaded and the runtime installed.</summary>
    public static class Ready
    {
        public const string Pid = "pid";
        public const string PythonVersion = "pythonVersion";
    }

    /// <summary>Silo → worker, <see cref="MessageKind.Run"/> (or <see cref="MessageKind.SourceRun"/>): one per run.</summary>
    public static class Request
    {
        /// <summary>A <c>RunMode</c>'s wire name.</summary>
        public const string Mode = "mode";

        /// <summary>The script of a <c>run</c> or <c>check</c>; the data source modes run no script and have none.</summary>
        public const string ScriptId = "scriptId";

        /// <summary>Left out of a <c>run</c> whose code the worker may have cached by ID and MD5: it asks with <see cref="Callbacks.RunCode"/>.</summary>
        public const string Code = "code";

        public const string CodeMD5 = "codeMD5";
        public const string FuncName = "funcName";

        /// <summary>A JSON object: the func's keyword arguments, or a data source mode's own (<c>source</c>, <c>command</c>, ...).</summary>
        public const string Kwargs = "kwargs";

        /// <summary>Seconds; the runtime raises its time-out error then, the silo kills the worker a grace period later.</summary>
        public const string Timeout = "timeout";

        /// <summary>An object of <see cref="Context"/> fields, all strings.</summary>
        public const string Context = "context";
    }

    /// <summary>
    /// The fields of <see cref="Request.Context"/> (a <c>RunContext</c>): each is one <c>_DFF_*</c>
    /// variable of the script (dff_protocol.CONTEXT_VARIABLES says which), and a script sees no other.
    /// </summary>
    public static class Context
    {
        public const string Origin = "origin";
        public const string OriginId = "originId";
        public const string TaskId = "taskId";
        public const string RootTaskId = "rootTaskId";
        public const string FuncId = "funcId";
        public const string FuncName = "funcName";

        /// <summary>A JSON array of func IDs.</summary>
        public const string FuncChain = "funcChain";

        /// <summary>Unix seconds, with a fraction.</summary>
        public const string TriggerTime = "triggerTime";

        /// <summary>A JSON object: method, url, headers, query, body of an auth-link call.</summary>
        public const string HttpRequest = "httpRequest";

        /// <summary>"true" for editor runs and publish checks.</summary>
        public const string Debug = "debug";

        /// <summary>The silo whose worker runs it (host:port).</summary>
        public const string Silo = "silo";

        /// <summary>Which attempt of a queued run it is: "1", then each retry's number.</summary>
        public const string Attempt = "attempt";

        // A crontab config's run, under the names of DataFlux Func 1.x and 2.x.
        public const string ExecMode = "execMode";
        public const string Crontab = "crontab";
        public const string CrontabDelay = "crontabDelay";
        public const string CronExpr = "cronExpr";
        public const string CronJobDelay = "cronJobDelay";
        public const string CronJobExecMode = "cronJobExecMode";
    }

    /// <summary>Worker → silo, <see cref="MessageKind.Result"/> (or <see cref="MessageKind.ForkedResult"/>): how the run ended.</summary>
    public static class Result
    {
        /// <summary><c>FuncRunStatus</c>: success, failure or timeout.</summary>
        public const string Status = "status";

        /// <summary>The func's return value (JSON) of a successful <c>run</c>, or a data source mode's answer.</summary>
        public const string Value = "result";

        /// <summary>The exported funcs found by a <c>check</c>.</summary>
        public const string Funcs = "funcs";

        /// <summary>What a <c>check</c> found that a DataFlux Func 1.x script will find otherwise here: <c>[{line, name, message}]</c>.</summary>
        public const string Notes = "notes";

        public const string PrintLogs = "printLogs";

        /// <summary>Seconds the run took inside the worker.</summary>
        public const string Cost = "cost";

        /// <summary>An object of <see cref="Error"/> fields, when the status is not success.</summary>
        public const string Error = "error";

        /// <summary>How an auth link answers (<c>DFF.RESP*</c>): status code, content type, headers, file.</summary>
        public const string ResponseControl = "responseControl";
    }

    public static class Error
    {
        /// <summary>The exception's type name (DataFlux Func's <c>etype</c>).</summary>
        public const string Type = "type";

        public const string Message = "message";

        /// <summary>The line of the user's script where it happened, or null.</summary>
        public const string Line = "line";

        /// <summary>Frames of user scripts only.</summary>
        public const string Traceback = "traceback";
    }

    /// <summary>
    /// Worker → silo, <see cref="MessageKind.Callback"/> <c>{name, args}</c> during a run: what only
    /// the cluster knows. The silo answers <see cref="MessageKind.CallbackReply"/> <c>{ok, value | error}</c>.
    /// </summary>
    public static class Callbacks
    {
        /// <summary>No args: the code of the run in progress (not in a cache of the worker). Answered by the engine.</summary>
        public const string RunCode = "runCode";

        /// <summary><c>{scriptId}</c>: the published code of a script the run imports.</summary>
        public const string GetPublishedCode = "getPublishedCode";

        /// <summary><c>{scope, command, key, args}</c>: one <c>DFF.CACHE</c> operation.</summary>
        public const string Cache = "cache";

        /// <summary><c>{funcId, kwargs, chain}</c>: <c>DFF.FUNC</c> queues a task; answers its ID.</summary>
        public const string CallFunc = "callFunc";

        /// <summary><c>{id}</c>: a data source's config for <c>DFF.SRC</c>.</summary>
        public const string GetDataSource = "getDataSource";

        /// <summary><c>{id}</c>: an environment variable for <c>DFF.ENV</c>.</summary>
        public const string GetEnvVariable = "getEnvVariable";

        /// <summary>No args: <c>[{id, title, description, type}]</c> of every data source, for <c>DFF.SRC.list()</c>.</summary>
        public const string ListDataSources = "listDataSources";

        /// <summary>No args: <c>[{id, value, autoTypeCasting}]</c> of every env variable, for <c>DFF.ENV.keys()</c> and <c>list()</c>.</summary>
        public const string ListEnvVariables = "listEnvVariables";

        /// <summary>
        /// <c>{command, scope, key, value?, expires?, notExists?}</c>: one <c>DFF.STORE</c> operation (<c>set</c>, <c>get</c>,
        /// <c>delete</c>, <c>keys</c> with the pattern as key); values travel as JSON text.
        /// </summary>
        public const string Store = "store";

        /// <summary>No args: the <c>CUSTOM_*</c> settings, for <c>DFF.CONFIG</c>.</summary>
        public const string GetCustomConfig = "getCustomConfig";
    }

    /// <summary>The body of a <see cref="MessageKind.Callback"/> frame.</summary>
    public static class Callback
    {
        /// <summary>One of <see cref="Callbacks"/>.</summary>
        public const string Name = "name";

        public const string Args = "args";
    }

    /// <summary>The body of a <see cref="MessageKind.CallbackReply"/> frame.</summary>
    public static class CallbackReply
    {
        public const string Ok = "ok";

        /// <summary>The answer (JSON), when ok.</summary>
        public const string Value = "value";

        /// <summary>Why not, when not ok: the runtime raises it in the script.</summary>
        public const string Error = "error";
    }
}

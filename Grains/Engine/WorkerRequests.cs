using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using OrleansFunc.Common;
using Fields = OrleansFunc.Engine.Protocol.WorkerMessages.Request;
using ContextFields = OrleansFunc.Engine.Protocol.WorkerMessages.Context;

namespace OrleansFunc.Engine;

/// <summary>
/// The run request a worker reads (<see cref="Protocol.WorkerMessages.Request"/>), written straight
/// to UTF-8 as the frame that carries it: it is made for every call, so no reflection, no second
/// parse of the kwargs, and no copy of the request between writing it and sending it.
/// </summary>
public static class WorkerRequests
{
    /// <summary>The whole frame: header (<see cref="Protocol.FrameCodec.HeaderBytes"/>), then the request.</summary>
    public static ReadOnlyMemory<byte> Write(FuncRunRequest request)
    {
        // Sized for the usual request at once (its code is mostly left out; the HTTP request is most of a link call's).
        var buffer = new ArrayBufferWriter<byte>(
            512 + request.Code.Length + request.KwargsJson.Length + (request.Context.HttpRequestJson?.Length ?? 0));
        buffer.Advance(Protocol.FrameCodec.HeaderBytes);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(Fields.Mode, WireNames<RunMode>.Of(request.Mode));
            if (request.Mode.RunsScript())
            {
                json.WriteString(Fields.ScriptId, request.ScriptId);
                // A run leaves its code out: the worker has it cached by script ID + MD5, or asks for it
                // once (the "runCode" callback, answered by PythonEngine).
                if (request.Mode != RunMode.Run || string.IsNullOrEmpty(request.CodeMD5))
                {
                    json.WriteString(Fields.Code, request.Code);
                }
                json.WriteString(Fields.CodeMD5, request.CodeMD5);
                json.WriteString(Fields.FuncName, request.FuncName);
            }
            json.WritePropertyName(Fields.Kwargs);
            // Checked JSON: the kwargs were read by the API before they got here.
            json.WriteRawValue(request.KwargsJson, skipInputValidation: false);
            json.WriteNumber(Fields.Timeout, request.TimeoutSeconds);
            if (request.Mode.RunsScript())
            {
                json.WriteStartObject(Fields.Context);
                WriteContext(json, request.Context);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // A data source's run has its own kind: it is no run of a script.
        var kind = request.Mode.RunsScript() ? Protocol.MessageKind.Run : Protocol.MessageKind.SourceRun;
        Protocol.FrameCodec.WriteHeader(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span, kind);
        return buffer.WrittenMemory;
    }

    /// <summary>Each field the script sees as a <c>_DFF_*</c> variable; a field without a value is left out.</summary>
    private static void WriteContext(Utf8JsonWriter json, RunContext context)
    {
        if (context.Debug)
        {
            json.WriteString(ContextFields.Debug, "true");
        }
        // The publish check runs no func and has no task: it sees no origin either.
        if (context.TaskId is null)
        {
            return;
        }
        json.WriteString(ContextFields.Origin, context.Origin.WireName());
        json.WriteString(ContextFields.OriginId, context.OriginId);
        json.WriteString(ContextFields.TaskId, context.TaskId);
        json.WriteString(ContextFields.RootTaskId, context.RootTaskId ?? (context.Debug ? context.TaskId : "ROOT"));
        WriteIfSet(json, ContextFields.FuncId, context.FuncId);
        WriteIfSet(json, ContextFields.FuncName, context.FuncName);
        if (context.FuncChain.Count > 0)
        {
            json.WriteString(ContextFields.FuncChain, JsonSerializer.Serialize(context.FuncChain));
        }
        if (context.TriggerTime is { } trigger)
        {
            json.WriteString(ContextFields.TriggerTime, (trigger.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture));
        }
        if (context.HttpRequestJson is { } httpRequest)
        {
            // As the object it is, not as a string of it: not escaped here, nor decoded a second time by the worker.
            json.WritePropertyName(ContextFields.HttpRequest);
            json.WriteRawValue(httpRequest);
        }
        WriteIfSet(json, ContextFields.Silo, context.Silo);
        WriteIfSet(json, ContextFields.Attempt, context.Attempt?.ToString(CultureInfo.InvariantCulture));
        if (context.Crontab is null)
        {
            WriteIfSet(json, ContextFields.ExecMode, context.ExecMode);
        }
        if (context.Crontab is { } firing)
        {
            var delay = firing.DelaySeconds.ToString(CultureInfo.InvariantCulture);
            json.WriteString(ContextFields.ExecMode, firing.ExecMode);
            json.WriteString(ContextFields.Crontab, firing.Expression);
            json.WriteString(ContextFields.CrontabDelay, delay);
            json.WriteString(ContextFields.CronExpr, firing.Expression);
            json.WriteString(ContextFields.CronJobDelay, delay);
            json.WriteString(ContextFields.CronJobExecMode, firing.ExecMode == CrontabFiring.Scheduled ? "cronJob" : firing.ExecMode);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter json, string field, string? value)
    {
        if (value is not null)
        {
            json.WriteString(field, value);
        }
    }
}

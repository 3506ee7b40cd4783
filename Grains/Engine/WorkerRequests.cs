using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OrleansFunc.Engine;

/// <summary>
/// The run request a worker reads (fields in dff_runtime.py), written straight to UTF-8: it is made
/// for every call, so no reflection and no second parse of the kwargs.
/// </summary>
public static class WorkerRequests
{
    public static string Write(FuncRunRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + request.Code.Length + request.KwargsJson.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("mode", request.Mode);
            json.WriteString("scriptId", request.ScriptId);
            // A run leaves its code out: the worker has it cached by script ID + MD5, or asks for it
            // once (the "runCode" callback, answered by PythonEngine).
            if (request.Mode != "run" || string.IsNullOrEmpty(request.CodeMD5))
            {
                json.WriteString("code", request.Code);
            }
            json.WriteString("codeMD5", request.CodeMD5);
            json.WriteString("funcName", request.FuncName);
            json.WritePropertyName("kwargs");
            // Checked JSON: the kwargs were read by the API before they got here.
            json.WriteRawValue(request.KwargsJson, skipInputValidation: false);
            json.WriteNumber("timeout", request.TimeoutSeconds);
            json.WriteStartObject("context");
            foreach (var (name, value) in request.Context)
            {
                json.WriteString(name, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

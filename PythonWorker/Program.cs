using System.Net.Sockets;
using OrleansFunc.Engine.Protocol;
using OrleansFunc.PythonWorker;
using Python.Runtime;

// A Python worker: embeds CPython through pythonnet and serves run requests from its silo over a
// private Unix socket (never stdout, which user code may write to). Started and killed by the silo.
var arguments = WorkerArguments.Parse(args);
var typeScanWarmUp = TypeScanWarmUp.Start();

using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
socket.Connect(new UnixDomainSocketEndPoint(arguments.SocketPath));
using var channel = new WorkerChannel(new NetworkStream(socket, ownsSocket: false));

// The silo starts workers as their unprivileged user; a worker with root's rights would hand them
// to every script.
if (Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("PythonWorker: refusing to run as root");
    return 1;
}

Runtime.PythonDLL = arguments.PythonLibrary;
try
{
    IsolatedPython.Start(arguments.PythonLibrary);
    typeScanWarmUp.Join();
    PythonEngine.Initialize();
    IsolatedPython.Attached();
}
catch (Exception failure)
{
    // One line for the silo, which passes a worker's last words on to the runs it cannot serve.
    Console.Error.WriteLine($"PythonWorker: cannot load Python from {arguments.PythonLibrary}: {failure.GetBaseException().Message}");
    return 1;
}
using (Py.GIL())
{
    // Python is called through PyObject's methods, never `dynamic`: the C# binder would load Microsoft.CSharp and
    // System.Linq.Expressions and JIT them, about 5 MiB of every worker and a tenth of its start.
    using (var sys = Py.Import("sys"))
    using (var path = sys.GetAttr("path"))
    {
        path.InvokeMethod("insert", new PyInt(0), new PyString(Path.Combine(AppContext.BaseDirectory, "Runtime"))).Dispose();
    }
    if (arguments.Packages is { } packages)
    {
        Py.Import("dff_packages").InvokeMethod("use_folder", new PyString(packages)).Dispose();
    }
    using var runtime = Py.Import("dff_runtime");
    runtime.InvokeMethod("install", channel.ToPython(), new PyInt(arguments.MaxProcesses)).Dispose();
    using (var ready = runtime.InvokeMethod("ready_info"))
    {
        channel.Send(MessageKind.Ready, ready.As<string>());
    }

    using PyObject handle = runtime.GetAttr("handle");
    using PyObject handleSource = runtime.GetAttr("handle_source");
    using PyObject protocolError = runtime.GetAttr("protocol_error");
    using PyObject runForked = runtime.GetAttr("run_forked");
    try
    {
        while (channel.Receive() is { } frame)
        {
            var isRun = frame.Kind is MessageKind.Run or MessageKind.SourceRun;
            using var argument = new PyString(isRun ? frame.Body : $"unexpected frame kind {frame.Kind}");
            using var reply = (frame.Kind switch
            {
                MessageKind.Run => handle,
                MessageKind.SourceRun => handleSource,
                _ => protocolError,
            }).Invoke(argument);
            using var forked = runForked.Invoke();
            channel.Send(forked.IsTrue() ? MessageKind.ForkedResult : MessageKind.Result, reply.As<string>());
        }
    }
    catch (IOException)
    {
        // The silo went away in the middle of a run: nobody is waiting for the answer.
    }
}

// The silo closed the channel (or died): remove this worker's home, since a silo that died cannot. pythonnet can keep a process alive after its work is done, even
// through Environment.Exit: leave at once.
var home = Environment.GetEnvironmentVariable("HOME");
if (home is not null && Path.GetFileName(Path.GetDirectoryName(home))?.StartsWith("orleansfunc-worker-", StringComparison.Ordinal) == true)
{
    try
    {
        Directory.Delete(home, recursive: true);
    }
    catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
    {
        // Left for the temp cleaner.
    }
}
NativeExit.Now(0);
return 0; // not reached: NativeExit ends the process

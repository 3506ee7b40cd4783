namespace OrleansFunc.PythonWorker;

/// <summary>
/// Command line of a worker: <c>--socket PATH --python-library PATH [--max-processes N] [--packages FOLDER]</c>.
/// </summary>
public sealed record WorkerArguments(string SocketPath, string PythonLibrary, int MaxProcesses, string? Packages)
{
    public static WorkerArguments Parse(string[] args)
    {
        string? socket = null, library = null, packages = null;
        var maxProcesses = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--socket": socket = args[i + 1]; break;
                case "--python-library": library = args[i + 1]; break;
                case "--max-processes": maxProcesses = int.Parse(args[i + 1]); break;
                case "--packages": packages = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }
        return new WorkerArguments(
            socket ?? throw new ArgumentException("--socket is required"),
            library ?? throw new ArgumentException("--python-library is required"),
            maxProcesses, packages);
    }
}

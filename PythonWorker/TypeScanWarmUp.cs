namespace OrleansFunc.PythonWorker;

/// <summary>
/// pythonnet's start reads the exported types of every loaded assembly and each one's <c>PyExport</c> attribute to
/// learn the .NET namespaces a script could import (<c>AssemblyManager.ScanAssembly</c>): about 30 ms of a worker's
/// start, most of it loading CoreLib's 1,400 types, all on the one thread that then starts Python. Read first on
/// another thread, while that one connects to the silo and starts the interpreter, those types are loaded when
/// pythonnet asks (measured in bench/README.md: a few per cent of the start; reading the attributes here too gained
/// nothing more). Nothing here changes what pythonnet finds.
/// </summary>
internal static class TypeScanWarmUp
{
    /// <summary>
    /// Starts the warm-up; join the thread before <c>PythonEngine.Initialize</c>: pythonnet scans each assembly loaded
    /// after that on the loading thread, into tables that are not safe for two threads at once.
    /// </summary>
    public static Thread Start()
    {
        var thread = new Thread(Scan) { IsBackground = true, Name = "type scan warm-up" };
        thread.Start();
        return thread;
    }

    private static void Scan()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic)
            {
                continue;
            }
            try
            {
                foreach (var type in assembly.GetExportedTypes())
                {
                    _ = type.Namespace;
                    _ = type.IsGenericTypeDefinition;
                }
            }
            catch (Exception)
            {
                // pythonnet's own scan meets the same assembly and decides; a warm-up has nothing to add.
            }
        }
    }
}

using Microsoft.Extensions.FileProviders;

namespace OrleansFunc.WebFront.Hosting;

/// <summary>
/// The web console (<c>ClientApp/</c>, built into <c>wwwroot</c> beside the program by the project's
/// <c>BuildClientApp</c> target): its files, and its <c>index.html</c> for every browser route that is
/// neither an API route nor a file, so deep links and reloads open the console.
/// </summary>
public static class WebConsole
{
    public static WebApplication MapWebConsole(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            throw new InvalidOperationException($"The web console is not built: {root} has no index.html. Build WebFront (it runs npm in ClientApp/).");
        }
        var provider = new PhysicalFileProvider(root);
        var files = new StaticFileOptions { FileProvider = provider };
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = provider });
        app.UseStaticFiles(files);
        app.MapFallbackToFile("{*path:regex(^(?!api/).*$):nonfile}", "index.html", files);
        return app;
    }
}

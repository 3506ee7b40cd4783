namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// The smallest cluster: a WebFront (its own silo) and a headless silo on one new database, set up and signed in as
/// the administrator, both members. Stopped silo first, as the tests' own <c>await using</c> did.
/// </summary>
public sealed class TwoHosts : IAsyncDisposable
{
    private TwoHosts(TestServer web, HostProcess silo, TestServer.Settings siloSettings, string token) =>
        (Web, Silo, SiloSettings, Token) = (web, silo, siloSettings, token);

    public TestServer Web { get; }

    public HostProcess Silo { get; }

    /// <summary>The headless silo's settings: its data folder and ports.</summary>
    public TestServer.Settings SiloSettings { get; }

    public string Token { get; }

    public static async Task<TwoHosts> StartAsync()
    {
        var (connectionString, clusterId) = (await TestPostgres.CreateDatabaseAsync(), $"c{Guid.NewGuid():N}");
        var web = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web"), connectionString, clusterId));
        HostProcess? silo = null;
        try
        {
            var siloSettings = new TestServer.Settings(TestPaths.NewTempFolder("silo"), connectionString, clusterId);
            silo = HostProcess.Start(TestPaths.SiloDll, siloSettings.ToEnvironment());
            var token = await web.SetUpAndSignInAsync();
            await web.WaitForMembersAsync(token, 2, silo);
            return new TwoHosts(web, silo, siloSettings, token);
        }
        catch
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
            await web.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Web.DisposeAsync();
    }
}

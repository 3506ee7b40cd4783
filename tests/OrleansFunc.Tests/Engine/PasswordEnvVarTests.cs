using System.IO.Compression;
using System.Text;
using Npgsql;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// Password env variables (DataFlux Func 2024, issue 22): sealed at rest, never answered by the API, blank in exports,
/// masked in print logs, errors, task records and operation records; scripts read them with DFF.ENV as before.
/// </summary>
public sealed class PasswordEnvVarTests
{
    private const string Secret = "s3cr3t-Value-41";

    private const string Code = """
        @DFF.API('Use the password')
        def use():
            value = DFF.ENV('API_PASSWORD')
            print('password is', value)
            print('listed', [e['value'] for e in DFF.ENV.list() if e['id'] == 'API_PASSWORD'])
            return len(value)

        @DFF.API('Fail with the password')
        def fail():
            raise ValueError('bad password ' + DFF.ENV('API_PASSWORD'))
        """;

    [Fact]
    public async Task PasswordVariable_IsReadByScripts_AndShownNowhere()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var server = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("data"), connectionString));
        var token = await server.SetUpAndSignInAsync();
        var created = (await server.PostAsync("/api/v1/env-variables",
            new { id = "API_PASSWORD", title = "API", valueTEXT = Secret, autoTypeCasting = "password" }, token)).AssertOk();
        Assert.Equal("", created.GetProperty("valueTEXT").GetString());
        Assert.Equal("password", created.GetProperty("autoTypeCasting").GetString());
        foreach (var answer in new[]
                 {
                     (await server.GetAsync("/api/v1/env-variables/API_PASSWORD", token)).Text,
                     (await server.GetAsync("/api/v1/env-variables?pageSize=100", token)).Text,
                 })
        {
            Assert.DoesNotContain(Secret, answer);
            Assert.Contains("API_PASSWORD", answer);
        }

        (await server.PostAsync("/api/v1/script-sets", new { id = "pw" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "pw__main", codeDraft = Code }, token)).AssertOk();
        var run = (await server.PostAsync("/api/v1/scripts/pw__main/run", new { funcName = "use" }, token)).AssertOk();
        Assert.Equal(Secret.Length, run.GetProperty("result").GetInt32());
        Assert.Equal(["password is *****", "listed ['*****']"], run.GetProperty("printLogs").EnumerateArray().Select(l => l.GetString()!).ToArray());

        // A task record of a queued run keeps the masked log and error.
        (await server.PostAsync("/api/v1/scripts/pw__main/publish", null, token)).AssertOk();
        (await server.PostAsync("/api/v1/batches", new { id = "pw-fail", funcId = "pw__main.fail" }, token)).AssertOk();
        var taskId = (await server.PostAsync("/api/v1/bat/pw-fail", new { })).AssertOk().GetProperty("taskId").GetString()!;
        var task = await server.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(30), token);
        Assert.Equal("failure", task.GetProperty("status").GetString());
        Assert.Contains("bad password *****", task.GetRawText());
        Assert.DoesNotContain(Secret, task.GetRawText());
        Assert.DoesNotContain(Secret, (await server.GetAsync("/api/v1/operation-records?pageSize=100", token)).Text);

        // Kept unless typed; another type only with the value typed again.
        (await server.PatchAsync("/api/v1/env-variables/API_PASSWORD", new { title = "Renamed" }, token)).AssertOk();
        var again = (await server.PostAsync("/api/v1/scripts/pw__main/run", new { funcName = "use" }, token)).AssertOk();
        Assert.Equal(Secret.Length, again.GetProperty("result").GetInt32());
        (await server.PatchAsync("/api/v1/env-variables/API_PASSWORD", new { autoTypeCasting = "string" }, token))
            .AssertError(400.43, "EClientBadRequest.SecretNotTypedAgain");

        var exported = (await server.PostAsync("/api/v1/script-packages/export",
            new { scriptSetIds = new[] { "pw" }, envVariableIds = new[] { "API_PASSWORD" }, withPassword = false, note = "pw" }, token)).AssertOk();
        Assert.DoesNotContain(Secret, PackageText(Convert.FromBase64String(exported.GetProperty("file").GetString()!)));
        Assert.Contains("API_PASSWORD", PackageText(Convert.FromBase64String(exported.GetProperty("file").GetString()!)));

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var rows = new NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE position(@secret IN payload) > 0), count(*) FILTER (WHERE position(@id IN payload) > 0) FROM (" +
                "SELECT payloadbinary AS payload FROM orleansstorage WHERE payloadbinary IS NOT NULL " +
                "UNION ALL SELECT entry FROM of_directory_entries " +
                "UNION ALL SELECT convert_to(coalesce(print_logs, '') || coalesce(error, ''), 'UTF8') FROM of_task_records) stored", connection);
            rows.Parameters.AddWithValue("secret", Encoding.UTF8.GetBytes(Secret));
            rows.Parameters.AddWithValue("id", Encoding.UTF8.GetBytes("API_PASSWORD"));
            await using var reader = await rows.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(0, reader.GetInt64(0));
            Assert.True(reader.GetInt64(1) > 0, "the variable's own row was not found, so the search proves nothing");
        }

        var plain = (await server.PatchAsync("/api/v1/env-variables/API_PASSWORD", new { autoTypeCasting = "string", valueTEXT = "now plain" }, token)).AssertOk();
        Assert.Equal("now plain", plain.GetProperty("valueTEXT").GetString());
    }

    private static string PackageText(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        return string.Concat(zip.Entries.Select(entry =>
        {
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }));
    }
}

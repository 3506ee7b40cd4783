using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>The HTTP API of one WebFront (or of a load balancer in front of several), with the envelope read.</summary>
public class ApiClient(Uri baseAddress, TimeSpan? timeout = null) : IDisposable
{
    public const string AdminUsername = "admin";
    public const string AdminPassword = "admin-password-1";

    public HttpClient Http { get; } = new() { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }
        if (token is not null)
        {
            request.Headers.Add("X-Dff-Auth-Token", token);
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiResponse((int)response.StatusCode, json, text, $"{method} {path}");
    }

    public Task<ApiResponse> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, null, token);

    public Task<ApiResponse> PostAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Post, path, body, token);

    public Task<ApiResponse> PatchAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Patch, path, body, token);

    public Task<ApiResponse> PutAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Put, path, body, token);

    public Task<ApiResponse> DeleteAsync(string path, string? token = null) => SendAsync(HttpMethod.Delete, path, null, token);

    /// <summary>Creates the first administrator (if not yet) and signs in as them.</summary>
    public async Task<string> SetUpAndSignInAsync()
    {
        var setup = await GetAsync("/api/v1/setup");
        if (!setup.Data.GetProperty("isSetUp").GetBoolean())
        {
            (await PostAsync("/api/v1/setup", new { username = AdminUsername, password = AdminPassword })).AssertOk();
        }
        return await SignInAsync(AdminUsername, AdminPassword);
    }

    public async Task<string> SignInAsync(string username, string password) =>
        (await PostAsync("/api/v1/auth/sign-in", new { username, password })).AssertOk().GetProperty("token").GetString()!;

    public void Dispose() => Http.Dispose();
}

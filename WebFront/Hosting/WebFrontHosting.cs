using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using OrleansFunc.Common;
using OrleansFunc.Hosting;
using OrleansFunc.WebFront.Api.AuthLinks;
using OrleansFunc.WebFront.Api.Calls;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Hosting;

/// <summary>How WebFront is put together: cluster membership, HTTP services and the middleware order.</summary>
public static class WebFrontHosting
{
    /// <summary>Where the OpenAPI document and its UI are served (Swashbuckle's default).</summary>
    public const string SwaggerRoot = "/swagger";

    /// <summary>Co-hosts a silo (default) or joins the cluster as a client only.</summary>
    public static WebApplicationBuilder AddOrleansFuncCluster(this WebApplicationBuilder builder, OrleansFuncOptions options, string connectionString)
    {
        if (options.Cluster.Mode == ClusterMode.Client)
        {
            builder.UseOrleansClient(client => client.UseOrleansFuncClient(options, connectionString));
        }
        else
        {
            builder.UseOrleans(silo => silo.UseOrleansFunc(options, connectionString));
        }
        return builder;
    }

    public static WebApplicationBuilder AddOrleansFuncHttp(this WebApplicationBuilder builder, OrleansFuncOptions options)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{options.HttpPort}");
        }
        builder.Services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // A call's form (its files included) is cut off at the call routes' own body limit, not at the framework's default.
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form => form.MultipartBodyLengthLimit = options.Uploads.MaxCallBytes);
        builder.Services.AddSingleton<PasswordGate>();
        builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(forwarded => TrustProxies(forwarded, options.Auth));
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<Api.Calls.ApiAuthentication>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UploadStore>());
        builder.Services.AddSingleton<Records.RequestLogStore>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<Records.FuncStore>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Records.RequestLogStore>());
        builder.Services.AddSingleton<CallStatisticsBuffer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CallStatisticsBuffer>());
        // Last of the hosted services (after the cluster's), so the first to stop.
        builder.Services.AddHostedService<HttpDrain>();
        builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(UsersApi.AdminPolicy, policy => policy.RequireRole(nameof(UserRole.Admin)));
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new() { Title = "OrleansFunc API", Version = "v1" });
            // Non-nullable members are required and not nullable, so the console's generated types are exact.
            swagger.SupportNonNullableReferenceTypes();
            swagger.NonNullableReferenceTypesAsRequired();
            // Lets the Swagger UI send the sign-in token ("Authorize" button).
            swagger.AddSecurityDefinition(TokenAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = SessionTokens.HeaderName,
                Description = "The token of POST /api/v1/auth/sign-in",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(TokenAuthenticationHandler.SchemeName, document)] = [],
            });
        });
        return builder;
    }

    /// <summary>camelCase, enums as camelCase strings, and unknown fields refused so typos get a clear error.</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }

    /// <summary>
    /// X-Forwarded-For and -Proto count only from the configured proxies (none by default: ASP.NET
    /// would trust loopback, and every script on the host can reach loopback).
    /// </summary>
    private static void TrustProxies(Microsoft.AspNetCore.Builder.ForwardedHeadersOptions forwarded, AuthSettings auth)
    {
        forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor |
            Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in auth.TrustedProxies)
        {
            forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }
    }

    public static WebApplication UseOrleansFuncHttp(this WebApplication app)
    {
        if (app.Services.GetRequiredService<OrleansFuncOptions>().Auth.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        app.Use(RequestStamp.StampAsync);
        app.Use(RequestLogging.Middleware(app.Services));
        app.Use(SecurityHeaders.AddAsync);
        app.Use(OperationRecording.RecordRefusalsAsync);
        // The registered ApiExceptionHandler answers every failure; the fallback pipeline is never reached.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = _ => Task.CompletedTask });
        app.UseStatusCodePages(UnknownRoutes.RespondToStatusAsync);
        app.Use(RouteIdLimits.RefuseLongIdsAsync);
        // Swagger's two middlewares await the rest of the pipeline on every request they do not answer: a branch keeps
        // them off every other route, the public calls among them.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(SwaggerRoot), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI();
        });
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}

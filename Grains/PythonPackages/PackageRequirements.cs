using System.Text.RegularExpressions;
using OrleansFunc.Errors;

namespace OrleansFunc.PythonPackages;

/// <summary>
/// What an administrator may ask pip for: a project name with optional extras and version specifiers (never a URL, a
/// path or an option, which would make pip fetch or run something else), a wheel's file name, an index URL.
/// </summary>
public static partial class PackageRequirements
{
    public const int MaxLength = 200;

    /// <summary>A requirement as PEP 508 writes it, without markers or URLs: <c>name[extra,...] (op version, ...)</c>.</summary>
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?<extras>\[\s*[A-Za-z0-9._-]+(?:\s*,\s*[A-Za-z0-9._-]+)*\s*\])?\s*(?<specs>(?:===|==|!=|<=|>=|~=|<|>)\s*[A-Za-z0-9.*+!_-]+(?:\s*,\s*(?:===|==|!=|<=|>=|~=|<|>)\s*[A-Za-z0-9.*+!_-]+)*)?$")]
    private static partial Regex RequirementPattern();

    /// <summary>A wheel's name: <c>{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl</c>.</summary>
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?)-(?<version>[A-Za-z0-9.!+_]+)(?:-[0-9][A-Za-z0-9_.]*)?-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+\.whl$")]
    private static partial Regex WheelPattern();

    [GeneratedRegex("[-_.]+")]
    private static partial Regex Separators();

    /// <summary>A project's name as indexes compare them (PEP 503): lower case, <c>-</c> for every run of <c>-_.</c>.</summary>
    public static string Normalize(string name) => Separators().Replace(name, "-").ToLowerInvariant();

    /// <summary>The normalized project name of <paramref name="requirement"/>, or 400.43 <c>InvalidRequirement</c>.</summary>
    public static string NameOf(string? requirement, string field = "requirement")
    {
        var text = requirement?.Trim() ?? "";
        var match = text.Length is > 0 and <= MaxLength ? RequirementPattern().Match(text) : Match.Empty;
        if (!match.Success)
        {
            throw DffException.BadRequest("InvalidRequirement",
                $"'{field}' is a package name with an optional version, such as requests or requests==2.31.0 (no URL, path or option)",
                new { field });
        }
        return Normalize(match.Groups["name"].Value);
    }

    /// <summary>The extras part of a requirement (<c>[socks]</c>), kept when the requirement is pinned.</summary>
    public static string ExtrasOf(string requirement) => RequirementPattern().Match(requirement.Trim()).Groups["extras"].Value.Replace(" ", "");

    /// <summary>The project and version a wheel's file name says, or 400.43 <c>InvalidWheel</c>.</summary>
    public static (string Name, string Version) WheelOf(string? fileName) =>
        TryWheelOf(fileName) ?? throw DffException.BadRequest("InvalidWheel",
            "Upload a wheel under its own file name (name-version-python-abi-platform.whl)", new { field = "file" });

    public static (string Name, string Version)? TryWheelOf(string? fileName)
    {
        var match = fileName is { Length: <= MaxLength } ? WheelPattern().Match(fileName) : Match.Empty;
        return match.Success ? (Normalize(match.Groups["name"].Value), match.Groups["version"].Value) : null;
    }

    /// <summary>An http(s) URL, or empty for pip's default index; 400.43 <c>InvalidIndexUrl</c> otherwise.</summary>
    public static string RequireIndexUrl(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0)
        {
            return "";
        }
        if (text.Length > 500 || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw DffException.BadRequest("InvalidIndexUrl", "'indexUrl' is an http(s) URL of a package index, such as https://mirror.example/simple",
                new { field = "indexUrl" });
        }
        return text;
    }

    /// <summary>The index URL as the API shows it: a password in it is masked.</summary>
    public static string MaskedIndexUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')
            ? url.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':')] + ":*****", StringComparison.Ordinal)
            : url;
}

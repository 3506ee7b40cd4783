using System.Text.Json.Serialization;

namespace OrleansFunc.Users;

/// <summary>
/// The languages of the web console, each with a message catalogue of its own (<c>WebFront/ClientApp/src/i18n/locales/&lt;name&gt;/</c>;
/// a test holds the two lists together). API messages stay in English: callers parse them.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsoleLanguage>))]
public enum ConsoleLanguage
{
    [JsonStringEnumMemberName("en")] English,
    [JsonStringEnumMemberName("zh-CN")] SimplifiedChinese,
}

using System.Security.Cryptography;
using System.Text;

namespace OrleansFunc.Common;

/// <summary>Lower-case hex MD5 of a text's UTF-8 bytes: the code fingerprint DataFlux Func shows.</summary>
public static class Md5
{
    public static string Of(string text) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}

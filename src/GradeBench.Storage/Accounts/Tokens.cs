using System.Security.Cryptography;

namespace GradeBench.Storage.Accounts;

/// <summary>Random URL-safe tokens, stored only as their SHA-256.</summary>
static class Tokens
{
    public static string Create() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}

namespace GradeBench.Storage.Accounts;

/// <summary>User names compare ignoring the case of ASCII letters only, as SQLite's <c>lower()</c> folds them and as the
/// index <c>users_username_unique ON users (lower(username))</c> does on both databases (PostgreSQL's columns are
/// <c>COLLATE "C"</c>). The name looked for is folded here, not by <c>lower(@name)</c>, which PostgreSQL would fold by
/// the database's locale (É to é), so that a name would not find its own account.</summary>
public static class UsernameKey
{
    public static string Of(string username) => string.Create(username.Length, username, static (key, name) =>
    {
        for (var i = 0; i < name.Length; i++) key[i] = char.IsAsciiLetterUpper(name[i]) ? (char)(name[i] + ('a' - 'A')) : name[i];
    });
}

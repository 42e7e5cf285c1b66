using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace GradeBench.Storage;

/// <summary>A list parameter in a condition, on both databases. Dapper expands <c>IN @List</c> into one parameter per item
/// for SQLite but sends the list whole, as one array, to PostgreSQL, which takes an array only with <c>= ANY(@List)</c>,
/// which SQLite lacks: there is no one text for both.</summary>
public static class ListParameter
{
    /// <summary><c><paramref name="column"/> IN <paramref name="parameter"/></c>, the parameter's value an array or list
    /// (PostgreSQL takes no other collection).</summary>
    public static string In(DbConnection connection, string column, string parameter) =>
        connection is SqliteConnection ? $"{column} IN {parameter}" : $"{column} = ANY({parameter})";
}

using Dapper;
using Microsoft.Playwright;

namespace GradeBench.EndToEnd.Tests.Field;

/// <summary>How a rater far from the server types: key by key at a given pace, or Chinese through an input method
/// (Chrome DevTools' IME events); and what the database then holds.</summary>
static class Typist
{
    /// <summary>99 characters, as a physician's note.</summary>
    public const string Sentence = "The dose of alteplase is wrong: 0.9 mg/kg, max 90 mg, 10% as a bolus; check BP first, then recheck.";
    /// <summary>Another 99 characters, so that a case never finds the text a case before it stored.</summary>
    public const string OtherSentence = "Recheck BP first: give 10% of the dose as a bolus, max 90 mg at 0.9 mg/kg; this alteplase is wrong!";
    public const string Composed = "急性缺血性卒中";
    static readonly string[] Pinyin = ["ji", "jixing", "急性", "急性que", "急性缺血", "急性缺血xing"];

    /// <summary>A 1280×720 screen, the smallest laptop the issue names.</summary>
    public static BrowserNewContextOptions SmallLaptop => new() { ViewportSize = new ViewportSize { Width = 1280, Height = 720 }, AcceptDownloads = true };

    /// <summary>Composes <see cref="Composed"/> in the focused <paramref name="field"/>: pinyin, then candidates, then the
    /// committed text, reading the candidates for longer than a typing pause.</summary>
    public static async Task ComposeAsync(IPage page, ILocator field)
    {
        await field.FocusAsync();
        var cdp = await page.Context.NewCDPSessionAsync(page);
        foreach (var provisional in Pinyin)
        {
            await cdp.SendAsync("Input.imeSetComposition", new Dictionary<string, object>
            {
                ["text"] = provisional, ["selectionStart"] = provisional.Length, ["selectionEnd"] = provisional.Length,
            });
            await Task.Delay(800);
        }
        await cdp.SendAsync("Input.insertText", new Dictionary<string, object> { ["text"] = Composed });
    }

    public static string Kept(string? stored, string typed) =>
        stored == typed ? $"kept {typed.Length}/{typed.Length}" : $"kept {Common(stored ?? "", typed)}/{typed.Length} \"{stored}\" FAILED";

    /// <summary>Characters of <paramref name="typed"/> found in order in <paramref name="stored"/> (a longest common subsequence).</summary>
    static int Common(string stored, string typed)
    {
        var row = new int[typed.Length + 1];
        foreach (var c in stored)
        {
            var diagonal = 0;
            for (var j = 1; j <= typed.Length; j++)
            {
                var above = row[j];
                row[j] = c == typed[j - 1] ? diagonal + 1 : Math.Max(row[j], row[j - 1]);
                diagonal = above;
            }
        }
        return row[typed.Length];
    }

    /// <summary>What <paramref name="sql"/> reads once it is <paramref name="expected"/>, or as it is after 10 s.</summary>
    public static async Task<string?> StoredAsync(string database, string sql, object parameters, string expected)
    {
        string? stored = null;
        for (var waited = 0; waited < 100; waited++)
        {
            stored = await ReadAsync(database, sql, parameters);
            if (stored == expected) break;
            await Task.Delay(100);
        }
        return stored;
    }

    /// <summary>One value from the app's database, on a connection of its own that is closed at once.</summary>
    public static async Task<string?> ReadAsync(string database, string sql, object parameters)
    {
        await using var connection = await AppDatabase.OpenAsync(database);
        return await connection.QuerySingleOrDefaultAsync<string?>(sql, parameters);
    }
}

namespace GradeBench.Core.Reports;

/// <summary>What the results page's and report.html's SVG charts share: labels wrapped onto lines (SVG text does not
/// wrap, and a cut label can name the wrong criterion or model) and the colours of categories.</summary>
public static class ChartText
{
    /// <summary>The Okabe–Ito palette (Okabe &amp; Ito 2008, "Color Universal Design"), distinguishable with the common
    /// colour-vision deficiencies; its yellow is left out (too faint on white). Each bar also names its category in words.</summary>
    public static readonly IReadOnlyList<string> Palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];

    public static string Colour(int series) => Palette[series % Palette.Count];

    /// <summary><paramref name="text"/> broken between words into lines of at most <paramref name="width"/> characters;
    /// a longer word gets a line of its own, whole.</summary>
    public static IReadOnlyList<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = "";
            }
            line = line.Length == 0 ? word : $"{line} {word}";
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line);
        return lines;
    }
}

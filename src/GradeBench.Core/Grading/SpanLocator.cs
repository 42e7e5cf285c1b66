using System.Text;
using System.Text.RegularExpressions;

namespace GradeBench.Core.Grading;

/// <summary>Finds where a passage a rater selected in the rendered response sits in its Markdown source. The
/// rendered text lacks the Markdown markup, so the passage is matched with optional emphasis, code and link
/// markup (<c>* _ ` ~ [ ]</c>) allowed between its characters and any run of white space matching any other;
/// white space in the selection may also stand for block markup: headings, quotes, list bullets and numbers, and
/// table pipes and rule rows (the browser renders table cells apart with tabs and rows with line breaks). The
/// <c>occurrence</c> of <see cref="Locate"/> picks among repeated passages (0 = first, as counted in the rendered
/// text).</summary>
public static class SpanLocator
{
    const string InlineMarkup = @"[*_`~\[\]]*";
    const string BlockMarkup = @"(?:[\s*_`~\[\]>#|:+-]|(?<=\s)\d{1,9}[.)](?=\s))*";
    const string WhiteSpaceGap = BlockMarkup + @"[\s|]" + BlockMarkup;

    public readonly record struct Location(int Start, int End)
    {
        public int Length => End - Start;
    }

    /// <summary>Which occurrence (0-based) of its own text a stored span is, counted as <see cref="Locate"/> counts,
    /// so that the browser can find the same passage in the rendered text.</summary>
    public static int OccurrenceOf(string markdown, string quote, int start)
    {
        var plain = Visible(quote);
        var occurrence = 0;
        while (Locate(markdown, plain, occurrence) is { } found && found.Start < start) occurrence++;
        return occurrence;
    }

    /// <summary>A stored quote (Markdown source) as the reader sees it: inline markup dropped, and the block markup a
    /// quote can hold between its lines (rule rows of a table, list bullets and numbers, heading and quote marks,
    /// cell pipes) turned to white space. A quote never starts with block markup, since it starts where the
    /// selection did.</summary>
    public static string Visible(string quote)
    {
        var text = Regex.Replace(quote, @"\n[ \t]*\|?[ \t]*:?-{1,}:?[ \t]*(?:\|[ \t]*:?-{1,}:?[ \t]*)*\|?[ \t]*(?=\n|$)", "\n");
        text = Regex.Replace(text, @"\n(?:[ \t]*(?:[>#]+|[-+*]|\d{1,9}[.)])(?=[ \t]))+", "\n");
        text = text.Replace('|', ' ');
        return Regex.Replace(text, @"[*_`~\[\]]", "");
    }

    public static Location? Locate(string markdown, string selected, int occurrence = 0)
    {
        var text = selected.Trim();
        if (text.Length == 0 || occurrence < 0) return null;
        var pattern = new StringBuilder();
        var inSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                inSpace = true;
                continue;
            }
            if (pattern.Length > 0) pattern.Append(inSpace ? WhiteSpaceGap : InlineMarkup);
            pattern.Append(Regex.Escape(c.ToString()));
            inSpace = false;
        }
        var matches = Regex.Matches(markdown, pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return occurrence < matches.Count ? new Location(matches[occurrence].Index, matches[occurrence].Index + matches[occurrence].Length) : null;
    }
}

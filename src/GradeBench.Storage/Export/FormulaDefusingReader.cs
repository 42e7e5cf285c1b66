using System.Data.Common;

namespace GradeBench.Storage.Export;

/// <summary>A reader whose text a spreadsheet shows as text: a cell that Excel or LibreOffice would run as a formula
/// (OWASP, "CSV Injection": it starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) gets an
/// apostrophe in front, unless it is a plain number such as <c>-1</c> or <c>-0.5</c>, which stays a number. Raters'
/// comments and free-text values are what it is for. Every way to read text goes through <see cref="Defuse"/>: Sylvan's
/// CSV writer reads a text column with <c>GetString</c> and a column of a type it does not know with <c>GetValue</c>
/// (numeric columns it reads as numbers, which cannot be formulas).</summary>
sealed class FormulaDefusingReader(DbDataReader inner) : DelegatingReader(inner)
{
    /// <summary><paramref name="text"/>, with an apostrophe in front when a spreadsheet would read it as a formula.</summary>
    public static string Defuse(string text) => StartsFormula(text) ? "'" + text : text;

    static bool StartsFormula(string text) =>
        text.Length > 0 && (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') && !IsPlainNumber(text);

    // An optional sign, digits with at most one decimal point, an optional exponent: a cell a spreadsheet takes as a
    // number. Nothing more lenient (no spaces, thousands separators or "Infinity"), so "-2+3" is not a number.
    static bool IsPlainNumber(string text)
    {
        var i = (text[0] is '+' or '-') ? 1 : 0;
        var digits = Digits(text, ref i);
        if (i < text.Length && text[i] == '.')
        {
            i++;
            digits += Digits(text, ref i);
        }
        if (digits == 0) return false;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-') i++;
            if (Digits(text, ref i) == 0) return false;
        }
        return i == text.Length;
    }

    static int Digits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        return i - start;
    }

    static object Defused(object value) => value is string text ? Defuse(text) : value;

    public override string GetString(int ordinal) => Defuse(Inner.GetString(ordinal));
    public override object GetValue(int ordinal) => Defused(Inner.GetValue(ordinal));
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));

    public override int GetValues(object[] values)
    {
        var count = Inner.GetValues(values);
        for (var i = 0; i < count; i++) values[i] = Defused(values[i]);
        return count;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null) return text.Length;
        var count = (int)Math.Clamp(text.Length - dataOffset, 0, length);
        text.CopyTo((int)Math.Min(dataOffset, text.Length), buffer, bufferOffset, count);
        return count;
    }

    // Column names are cells too, and ratings-wide.csv's are criterion ids, which may start with "-". GetOrdinal still
    // takes the names as stored.
    public override string GetName(int ordinal) => Defuse(Inner.GetName(ordinal));
}

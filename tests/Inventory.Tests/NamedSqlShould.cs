using Npgsql;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class NamedSqlShould(PostgresServer postgres)
{
    [Fact]
    public void Number_names_by_first_use_and_reuse_the_position()
    {
        var sql = NamedSql.Compile("SELECT @b, @a::int, @b || 'x@y', j @> '{}' FROM t WHERE c = @a_1");

        Assert.Equal("SELECT $1, $2::int, $1 || 'x@y', j @> '{}' FROM t WHERE c = $3", sql.Text);
        Assert.Equal(["b", "a", "a_1"], sql.Names);
    }

    [Fact]
    public void Bind_values_by_name_in_position_order()
    {
        var sql = NamedSql.Compile("SELECT @second, @first");

        var command = sql.Command([new NpgsqlParameter("first", 1), new NpgsqlParameter("second", 2)]);

        Assert.Equal("SELECT $1, $2", command.CommandText);
        Assert.Equal([2, 1], command.Parameters.Select(p => (int)p.Value!));
        Assert.All(command.Parameters, p => Assert.Equal("", p.ParameterName));
    }

    [Fact]
    public void Refuse_a_missing_or_unknown_value()
    {
        var sql = NamedSql.Compile("SELECT @a, @b");

        Assert.Contains("@b", Assert.Throws<InvalidOperationException>(() => sql.Command([new NpgsqlParameter("a", 1)])).Message, StringComparison.Ordinal);
        Assert.Contains("@c", Assert.Throws<InvalidOperationException>(() =>
            sql.Command([new NpgsqlParameter("a", 1), new NpgsqlParameter("b", 2), new NpgsqlParameter("c", 3)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_against_postgres_with_its_values_in_place()
    {
        await using var db = await postgres.CreateDatabaseAsync(nameof(NamedSqlShould), 4);
        await using var conn = await db.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands = { NamedSql.Compile("SELECT @word || ':' || @n::text || ':' || @word").Command([new NpgsqlParameter("n", 7), new NpgsqlParameter("word", "w")]) },
        };

        Assert.Equal("w:7:w", await batch.ExecuteScalarAsync());
    }
}

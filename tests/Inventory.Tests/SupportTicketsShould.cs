using System.Text.Json;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Support;
using TicketAspire.Inventory.Tests.Infrastructure;

namespace TicketAspire.Inventory.Tests;

/// <summary>
/// A support ticket's life in the reseller's database: who sets which status, what a closed ticket refuses, the text
/// limits, and replies racing each other and a close (nothing lost, the thread in order); against real Postgres.
/// </summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class SupportTicketsShould(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly SupportAuthor Acme = new(SupportSides.Reseller, "acme-integrator");
    private static readonly SupportAuthor Staff = new(SupportSides.Support, "eu-support");
    private InventoryHarness _inventory = null!;
    private SupportTickets _tickets = null!;

    public async Task InitializeAsync()
    {
        _inventory = await InventoryHarness.CreateAsync(postgres, nameof(SupportTicketsShould), maxPoolSize: 60);
        _tickets = new SupportTickets(_inventory.Db, _inventory.Time);
    }

    public async Task DisposeAsync() => await _inventory.DisposeAsync();

    private async Task<SupportTicketView> OpenAsync(SupportAuthor? author = null, string subject = "Payouts look short") =>
        (await _tickets.OpenAsync(author ?? Acme, new OpenSupportTicketCommand(subject, "Our payout for last week is 12.00 short.\nCan you check?", null, null),
            CancellationToken.None)).ShouldSucceed();

    private Task<Result<SupportReply>> ReplyAsync(Guid id, SupportAuthor author, string body = "More details.") =>
        _tickets.ReplyAsync(id, author, new SupportReplyCommand(body), CancellationToken.None);

    private Task<Result<SupportTicketSummary>> StatusAsync(Guid id, SupportAuthor author, string status) =>
        _tickets.ChangeStatusAsync(id, author, new SupportStatusCommand(status), CancellationToken.None);

    private async Task<SupportTicketView> GetAsync(Guid id) => (await _tickets.GetAsync(id, CancellationToken.None)).ShouldSucceed();

    [Fact]
    public async Task OpenATicketWithItsFirstMessageAsOpen()
    {
        var ticket = await OpenAsync();

        Assert.Equal((SupportTicketStatuses.Open, "general", "normal", SupportSides.Reseller, "acme-integrator", 1), (ticket.Status, ticket.Category, ticket.Priority,
            ticket.OpenedByKind, ticket.OpenedBy, ticket.MessageCount));
        var message = Assert.Single(ticket.Messages);
        Assert.Equal((1, SupportSides.Reseller, "acme-integrator", "Our payout for last week is 12.00 short.\nCan you check?"),
            (message.Seq, message.AuthorKind, message.Author, message.Body));
        Assert.True((await OpenAsync()).Number > ticket.Number);
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = $1", SupportTickets.RepliedTopic));
    }

    [Fact]
    public async Task WaitOnTheResellerAfterSupportAnswersAndTellTheResellersWebhooks()
    {
        var ticket = await OpenAsync();

        var reply = (await ReplyAsync(ticket.Id, Staff, "We found it: a refund fee. Details attached.")).ShouldSucceed();

        Assert.Equal((SupportTicketStatuses.WaitingOnReseller, 2, 2), (reply.Ticket.Status, reply.Ticket.MessageCount, reply.Message.Seq));
        var thread = await GetAsync(ticket.Id);
        Assert.Equal([SupportSides.Reseller, SupportSides.Support], thread.Messages.Select(m => m.AuthorKind));
        using var payload = JsonDocument.Parse(await _inventory.ScalarAsync<string>("SELECT payload::text FROM outbox WHERE topic = $1", SupportTickets.RepliedTopic));
        Assert.Equal(ticket.Id, payload.RootElement.GetProperty("ticket_id").GetGuid());
        Assert.Equal(ticket.Number, payload.RootElement.GetProperty("number").GetInt64());
        Assert.Equal(SupportTicketStatuses.WaitingOnReseller, payload.RootElement.GetProperty("status").GetString());
        Assert.Equal(reply.Message.Id, payload.RootElement.GetProperty("message_id").GetGuid());
    }

    [Fact]
    public async Task WaitOnSupportAfterTheResellerRepliesAndReopenAResolvedTicket()
    {
        var ticket = await OpenAsync();
        Assert.Equal(SupportTicketStatuses.WaitingOnSupport, (await ReplyAsync(ticket.Id, Acme)).ShouldSucceed().Ticket.Status);
        (await ReplyAsync(ticket.Id, Staff)).ShouldSucceed();
        Assert.Equal(SupportTicketStatuses.Resolved, (await StatusAsync(ticket.Id, Staff, SupportTicketStatuses.Resolved)).ShouldSucceed().Status);

        var reopened = (await ReplyAsync(ticket.Id, Acme, "Still short this week.")).ShouldSucceed();

        Assert.Equal((SupportTicketStatuses.WaitingOnSupport, 4), (reopened.Ticket.Status, reopened.Ticket.MessageCount));
    }

    [Fact]
    public async Task LetOnlySupportResolve()
    {
        var ticket = await OpenAsync();

        (await StatusAsync(ticket.Id, Acme, SupportTicketStatuses.Resolved)).ShouldFailWith(ErrorCodes.SupportTicketStatusNotAllowed);
        Assert.Equal(SupportTicketStatuses.Open, (await GetAsync(ticket.Id)).Status);
        (await StatusAsync(ticket.Id, Staff, SupportTicketStatuses.Resolved)).ShouldSucceed();
        // asking again changes nothing
        Assert.Equal(SupportTicketStatuses.Resolved, (await StatusAsync(ticket.Id, Staff, SupportTicketStatuses.Resolved)).ShouldSucceed().Status);
    }

    [Theory]
    [InlineData(SupportSides.Reseller)]
    [InlineData(SupportSides.Support)]
    public async Task LetEitherSideCloseAndRefuseAnythingMoreOnAClosedTicket(string side)
    {
        var ticket = await OpenAsync();
        var author = side == SupportSides.Support ? Staff : Acme;

        Assert.Equal(SupportTicketStatuses.Closed, (await StatusAsync(ticket.Id, author, SupportTicketStatuses.Closed)).ShouldSucceed().Status);

        (await ReplyAsync(ticket.Id, Acme)).ShouldFailWith(ErrorCodes.SupportTicketClosed);
        (await ReplyAsync(ticket.Id, Staff)).ShouldFailWith(ErrorCodes.SupportTicketClosed);
        (await StatusAsync(ticket.Id, Staff, SupportTicketStatuses.Resolved)).ShouldFailWith(ErrorCodes.SupportTicketClosed);
        Assert.Equal(SupportTicketStatuses.Closed, (await StatusAsync(ticket.Id, Acme, SupportTicketStatuses.Closed)).ShouldSucceed().Status);
        Assert.Single((await GetAsync(ticket.Id)).Messages);
    }

    [Theory]
    [InlineData("open")]
    [InlineData("waiting_on_support")]
    [InlineData("Closed")]
    [InlineData("")]
    public async Task RefuseAStatusThatOnlyARepliesSets(string status)
    {
        var ticket = await OpenAsync();
        var error = (await StatusAsync(ticket.Id, Staff, status)).ShouldFailWith(ErrorCodes.Validation);
        Assert.True(error.FieldErrors!.ContainsKey("status"));
    }

    [Fact]
    public async Task OpenATicketAsSupportWaitingOnTheReseller()
    {
        var ticket = await OpenAsync(Staff, "Your webhook endpoint fails");

        Assert.Equal((SupportTicketStatuses.WaitingOnReseller, SupportSides.Support), (ticket.Status, ticket.OpenedByKind));
        Assert.Equal(1L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = $1 AND aggregate_id = $2", SupportTickets.RepliedTopic, ticket.Id));
    }

    public static TheoryData<string?, string?, string?, string?, string> BadTickets => new()
    {
        { null, "body", null, null, "subject" },
        { "   ", "body", null, null, "subject" },
        { new string('s', 201), "body", null, null, "subject" },
        { "two\nlines", "body", null, null, "subject" },
        { "tab\tin subject", "body", null, null, "subject" },
        { "subject", null, null, null, "body" },
        { "subject", " \n ", null, null, "body" },
        { "subject", new string('b', 10_001), null, null, "body" },
        { "subject", "bell\u0007", null, null, "body" },
        { "subject", "nul\u0000", null, null, "body" },
        { "subject", "body", "complaints", null, "category" },
        { "subject", "body", null, "critical", "priority" },
    };

    [Theory]
    [MemberData(nameof(BadTickets))]
    public async Task RefuseTextOutsideTheLimits(string? subject, string? body, string? category, string? priority, string field)
    {
        var error = (await _tickets.OpenAsync(Acme, new OpenSupportTicketCommand(subject, body, category, priority), CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);

        Assert.True(error.FieldErrors!.ContainsKey(field), string.Join(", ", error.FieldErrors.Keys));
        Assert.Equal(0L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM support_tickets"));
    }

    [Fact]
    public async Task RefuseAnUnpairedSurrogate()
    {
        // built here: theory data would be serialized, and the lone surrogate replaced on the way
        var body = "lone " + (char)0xD800 + " surrogate";
        var error = (await _tickets.OpenAsync(Acme, new OpenSupportTicketCommand("subject", body, null, null), CancellationToken.None))
            .ShouldFailWith(ErrorCodes.Validation);
        Assert.True(error.FieldErrors!.ContainsKey("body"));
    }

    [Fact]
    public async Task TakeTextAtTheLimits()
    {
        var ticket = (await _tickets.OpenAsync(Acme, new OpenSupportTicketCommand(new string('s', 200), "line one\r\n\tline two " + new string('b', 9_980),
            "billing", "urgent"), CancellationToken.None)).ShouldSucceed();

        Assert.Equal((200, 10_000, "billing", "urgent"), (ticket.Subject.Length, ticket.Messages[0].Body.Length, ticket.Category, ticket.Priority));
        (await ReplyAsync(ticket.Id, Staff, "")).ShouldFailWith(ErrorCodes.Validation);
    }

    [Fact]
    public async Task RefuseAReplyBeyondTheLongestThread()
    {
        var ticket = await OpenAsync();
        await _inventory.ScalarAsync<int>("UPDATE support_tickets SET message_count = $2 WHERE id = $1 RETURNING 0", ticket.Id, SupportTicketInput.MaxMessages - 1);

        Assert.Equal(SupportTicketInput.MaxMessages, (await ReplyAsync(ticket.Id, Staff)).ShouldSucceed().Message.Seq);
        (await ReplyAsync(ticket.Id, Acme)).ShouldFailWith(ErrorCodes.SupportTicketThreadFull);
    }

    [Fact]
    public async Task FindNothingForAnUnknownTicket()
    {
        var unknown = Guid.NewGuid();
        (await _tickets.GetAsync(unknown, CancellationToken.None)).ShouldFailWith(ErrorCodes.SupportTicketNotFound);
        (await ReplyAsync(unknown, Acme)).ShouldFailWith(ErrorCodes.SupportTicketNotFound);
        (await StatusAsync(unknown, Staff, SupportTicketStatuses.Closed)).ShouldFailWith(ErrorCodes.SupportTicketNotFound);
    }

    [Fact]
    public async Task ListNewestFirstByStatusInPages()
    {
        var first = await OpenAsync(subject: "first");
        var second = await OpenAsync(subject: "second");
        var third = await OpenAsync(subject: "third");
        (await StatusAsync(second.Id, Acme, SupportTicketStatuses.Closed)).ShouldSucceed();

        var all = (await _tickets.ListAsync(null, 1, 20, CancellationToken.None)).ShouldSucceed();
        var open = (await _tickets.ListAsync(SupportTicketStatuses.Open, 1, 20, CancellationToken.None)).ShouldSucceed();
        var page2 = (await _tickets.ListAsync(null, 2, 2, CancellationToken.None)).ShouldSucceed();

        Assert.Equal([third.Id, second.Id, first.Id], all.Tickets.Select(t => t.Id));
        Assert.Equal([third.Id, first.Id], open.Tickets.Select(t => t.Id));
        Assert.Equal([first.Id], page2.Tickets.Select(t => t.Id));
        (await _tickets.ListAsync("pending", 1, 20, CancellationToken.None)).ShouldFailWith(ErrorCodes.Validation);
    }

    [Fact]
    public async Task StoreEveryReplyWhenBothSidesReplyAtOnce()
    {
        var ticket = await OpenAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            ReplyAsync(ticket.Id, i % 2 == 0 ? Acme : Staff, $"reply {i}"))));

        Assert.All(replies, r => r.ShouldSucceed());
        var thread = await GetAsync(ticket.Id);
        Assert.Equal(21, thread.MessageCount);
        Assert.Equal(Enumerable.Range(1, 21), thread.Messages.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"reply {i}").Order(), thread.Messages.Skip(1).Select(m => m.Body).Order());
        // the status is the last reply's
        var last = thread.Messages[^1];
        Assert.Equal(last.AuthorKind == SupportSides.Support ? SupportTicketStatuses.WaitingOnReseller : SupportTicketStatuses.WaitingOnSupport, thread.Status);
        Assert.Equal(10L, await _inventory.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE topic = $1 AND aggregate_id = $2", SupportTickets.RepliedTopic, ticket.Id));
    }

    [Fact]
    public async Task NeitherLoseAReplyNorReopenWhenRepliesRaceAClose()
    {
        var ticket = await OpenAsync();

        var replies = Enumerable.Range(0, 20).Select(i => Task.Run(() => ReplyAsync(ticket.Id, i % 2 == 0 ? Acme : Staff, $"reply {i}"))).ToList();
        var close = Task.Run(() => StatusAsync(ticket.Id, Staff, SupportTicketStatuses.Closed));
        await Task.WhenAll(replies);
        (await close).ShouldSucceed();

        // every reply is either in the thread (before the close) or refused as closed (after it); the close is final
        var stored = replies.Select(r => r.Result).Where(r => r.IsSuccess).Select(r => r.Value!.Message.Seq).Order().ToList();
        Assert.All(replies.Select(r => r.Result).Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.SupportTicketClosed, r.Error!.Code));
        var thread = await GetAsync(ticket.Id);
        Assert.Equal(SupportTicketStatuses.Closed, thread.Status);
        Assert.Equal(1 + stored.Count, thread.MessageCount);
        Assert.Equal(Enumerable.Range(2, stored.Count), stored);
        Assert.Equal(Enumerable.Range(1, 1 + stored.Count), thread.Messages.Select(m => m.Seq));
    }
}

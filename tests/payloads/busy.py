"""A manager's digest after a busy quarter, in English and in Chinese: the longest realistic digest.

Thirteen weekly check-ins, each blocked and each with a few sentences of priorities and progress,
thirty kudos, eight pieces of feedback, the last review's three actions and a full self-review. In
English the digest comes to about 16,500 characters: what Slack refused with `msg_blocks_too_long`
and what no longer fitted one Teams card.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.reviews import digest
from bot.features.reviews.evidence import Dated, Evidence
from bot.i18n import Catalogue, Messages
from bot.replies import Reply
from store import orgs, outbox, people
from store.action_models import ActionItem
from store.models import Person
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewPrep

SECTIONS = ("goals", "process", "lessons", "development", "agenda", "questions", "checklist")
STARTS = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)
FIRST_WEEK = date(2026, 12, 4)
WEEKS = 13

WORDS = {
    "en": {
        "manager": "Carol Jones",
        "employee": "Alice Smith",
        "givers": ["Bob Brown", "Erin Park", "Dan Lee", "Wei Zhang", "Priya Raman"],
        "priority": "Week {n}: finish the billing migration's cut-over plan, review the on-call runbook "
        "with the platform team, and pair with the new starter on the flaky integration tests so "
        "that the release train can leave on Thursday.",
        "went_well": "Week {n}: the invoices service now runs on the new queue; error rates fell by "
        "half and the customer success team stopped escalating duplicate invoices.",
        "blocker": "the staging database refresh, which failed again in week {n}, so the load test "
        "could not run and the release slipped a day",
        "support": "Week {n}: I'd like help getting time from the data team for the reporting "
        "changes, and your view on whether I should take the tech lead role next quarter.",
        "kudos": "Thank you for staying late in week {n} to walk the support team through the new "
        "refund flow: they closed forty tickets the next morning and the customer noticed.",
        "feedback": "In week {n}'s planning meeting you made sure everyone agreed on the scope "
        "before we started, which saved us a week of rework. Next time it would help to write the "
        "decision down in the channel, so that the people who missed the call can follow it too.",
        "actions": [
            "Write the on-call handbook for the payments team",
            "Run the quarterly disaster recovery drill",
            "Mentor the two new starters through their first release",
        ],
        "expectations": "I expect to own the billing platform end to end, to be trusted with the "
        "quarterly roadmap, and to be measured on outcomes for customers rather than on tickets "
        "closed. I would like clearer expectations on what senior means in our team. " * 2,
        "self_support": "Time from the data team, a budget for one conference, and a monthly "
        "one-to-one focused on career rather than status. " * 2,
    },
    "zh-Hans": {
        "manager": "琼斯·卡罗尔",
        "employee": "史密斯·爱丽丝",
        "givers": ["布朗·鲍勃", "朴·艾琳", "李丹", "张伟", "拉曼·普丽雅"],
        "priority": "第{n}周：完成计费系统迁移的切换方案，与平台团队一起审阅值班手册，并与新同事结对修复"
        "不稳定的集成测试，确保周四的版本按时发布。",
        "went_well": "第{n}周：发票服务已经迁移到新的消息队列，错误率下降了一半，客户成功团队不再升级重复开票的问题。",
        "blocker": "预发布环境数据库刷新在第{n}周再次失败，压力测试无法进行，发布推迟了一天",
        "support": "第{n}周：希望你帮我争取数据团队的时间来做报表改动，也想听听你对我下季度担任技术负责人的看法。",
        "kudos": "感谢你在第{n}周加班给客服团队讲解新的退款流程：第二天早上他们就关闭了四十个工单，客户也注意到了。",
        "feedback": "在第{n}周的计划会上，你确保大家在开工前就范围达成一致，为我们省下了一周的返工。"
        "下次如果能把决定写在频道里就更好了，这样没参加会议的同事也能跟上。",
        "actions": ["为支付团队编写值班手册", "组织季度灾难恢复演练", "带两位新同事完成他们的第一次发布"],
        "expectations": "我希望能端到端负责计费平台，承担季度路线图的规划，并以客户成果而不是关闭的工单数来衡量。"
        "我也希望团队能更清楚地说明“高级”意味着什么。" * 2,
        "self_support": "需要数据团队的时间、一次参加技术大会的预算，以及每月一次专门谈职业发展而不是进度的一对一。"
        * 2,
    },
}


def _person(id: int, name: str, handle: str, locale: str, tz: str) -> Person:
    return Person(id=id, org_id=1, display_name=name, handle=handle, locale=locale, timezone=tz)


def _action(id: int, title: str, *, status: str, due: date, closed: datetime | None = None) -> ActionItem:
    return ActionItem(id=id, org_id=1, title=title, owner_id=2, status=status, due_on=due, closed_at=closed)


def evidence(locale: str, *, weeks: int = WEEKS) -> Evidence:
    """The evidence of a busy period of `weeks` weekly check-ins (with a kudos or two a week), written
    in `locale`, for a manager who reads that language."""
    words = WORDS[locale]
    tz = "Asia/Shanghai" if locale == "zh-Hans" else "Europe/London"
    manager = _person(1, words["manager"], "carol", locale, tz)
    employee = _person(2, words["employee"], "alice", locale, tz)
    meeting = ReviewMeeting(
        id=7, org_id=1, employee_id=2, manager_id=1, starts_at=STARTS, minutes=60, status="scheduled",
        scheduled_at=STARTS - timedelta(days=14),
    )  # fmt: skip
    previous = ReviewMeeting(
        id=3, org_id=1, employee_id=2, manager_id=1, starts_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    dated = [(n, FIRST_WEEK + timedelta(weeks=n - 1)) for n in range(1, weeks + 1)]
    titles = words["actions"]
    return Evidence(
        meeting=meeting,
        employee=employee,
        manager=manager,
        tz=ZoneInfo(tz),
        today=date(2027, 3, 8),
        moods=[Dated(day=day, value=5 - (n * 3 // weeks)) for n, day in dated],
        priorities=[Dated(day=day, text=words["priority"].format(n=n)) for n, day in dated],
        went_well=[Dated(day=day, text=words["went_well"].format(n=n)) for n, day in dated],
        blockers=[Dated(day=day, text=words["blocker"].format(n=n)) for n, day in dated],
        support=[Dated(day=day, text=words["support"].format(n=n)) for n, day in dated],
        kudos=[
            Dated(
                day=dated[i % weeks][1] + timedelta(days=i % 3),
                text=words["kudos"].format(n=dated[i % weeks][0]),
                value=["ownership", "customer"][: 1 + i % 2],
                who=words["givers"][i % len(words["givers"])],
            )
            for i in range(weeks * 30 // WEEKS)
        ],
        feedback=[
            Dated(day=day, text=words["feedback"].format(n=n), who=words["givers"][n % 5])
            for n, day in dated[::2][: weeks * 8 // WEEKS]
        ],
        previous=previous,
        actions=[
            _action(
                11, titles[0], status="done", due=date(2027, 1, 15), closed=datetime(2027, 1, 12, tzinfo=UTC)
            ),
            _action(12, titles[1], status="open", due=date(2027, 2, 1)),
            _action(13, titles[2], status="open", due=date(2027, 4, 1)),
        ],
        self_review=Dated(
            day=date(2027, 3, 5),
            value={"expectations": words["expectations"].strip(), "support": words["self_support"].strip()},
        ),
        prep=ReviewPrep(
            org_id=1, meeting_id=7, self_review_read_at=None, examples=["a", "b"], questions=["q"]
        ),
    )


def busy_digest(catalogue: Catalogue, locale: str, *, weeks: int = WEEKS) -> Reply:
    """The manager's digest of a busy period (a quarter by default), in `locale`."""
    t: Messages = catalogue.messages(locale)
    return digest.render(t, evidence(locale, weeks=weeks))


async def queue_to(app, *, handle: str, platform: str, reply: Reply) -> None:
    """`reply` queued in the outbox as a DM to the Acme person `handle` on `platform`, as a job would."""
    async with app.db.transaction() as session:
        org = await orgs.by_slug(session, "acme")
        person = await people.by_handle(session, org_id=org.id, handle=handle)
        await outbox.enqueue(
            session,
            org_id=org.id,
            kind="dm",
            recipient_id=person.id,
            platform=platform,
            payload=reply.to_dict(),
            now=app.clock.now(),
        )

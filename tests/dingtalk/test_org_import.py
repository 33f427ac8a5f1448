"""The org import's `dingtalk_user_id` column: an imported person is known on DingTalk by their staff
id from their first message, in the language and time zone the import gave."""

from __future__ import annotations

from sqlalchemy import select

from adapters.cli import parser
from store.models import Identity, Person


async def test_an_imported_staff_id_is_that_person_from_their_first_message(app, ding, dingtalk, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(
        "email,name,manager_email,department,timezone,locale,dingtalk_user_id\n"
        "li.na@example.com,李娜,carol@example.com,Engineering,Asia/Shanghai,zh-Hans,lina\n",
        encoding="utf-8",
    )
    args = parser().parse_args(["org", "import", str(path)])
    assert await args.run(app, args) == 0, capsys.readouterr().err
    dingtalk.users["lina"] = {"name": "李娜", "email": "li.na@example.com"}
    await ding.say("lina", "帮助")
    [reply] = ding.seen("lina")
    assert "点赞" in reply  # Chinese, as the import said
    async with app.db.read() as session:
        persons = list(await session.scalars(select(Person).where(Person.email == "li.na@example.com")))
        identity = await session.scalar(select(Identity).where(Identity.platform_user_id == "lina"))
    assert len(persons) == 1 and identity.person_id == persons[0].id and identity.platform == "dingtalk"


async def test_a_repeated_staff_id_is_refused_by_line(app, ding, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(
        "email,name,dingtalk_user_id\nx@example.com,X,same\ny@example.com,Y,same\n", encoding="utf-8"
    )
    args = parser().parse_args(["org", "import", str(path)])
    assert await args.run(app, args) != 0
    assert "the dingtalk user id same is also on line 2" in capsys.readouterr().err

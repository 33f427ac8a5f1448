"""The org import's `feishu_user_id` column: people imported with their open_id are who writes from
Feishu, and are reached there, before they ever write to Rapport."""

from __future__ import annotations

from textwrap import dedent

import aiohttp

from adapters.cli import parser
from store import orgs, people
from tests.feishu.conftest import _harness, message_event


async def test_people_imported_with_their_open_id_are_one_person_on_feishu(app, fake, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(dedent("""
        email,name,manager_email,timezone,locale,feishu_user_id
        zhang.wei@example.com,张伟,,Asia/Shanghai,zh-Hans,ou_zhangwei
        li.na@example.com,李娜,zhang.wei@example.com,Asia/Shanghai,zh-Hans,ou_lina
    """).lstrip(), encoding="utf-8")
    args = parser().parse_args(["org", "import", str(path), "--org", "acme", "--create"])
    assert await args.run(app, args) == 0, capsys.readouterr()
    fake.add_user("ou_zhangwei", name="张伟")
    fake.add_user("ou_lina", name="李娜")

    harness, runner = await _harness(app, fake)
    async with aiohttp.ClientSession() as harness.http:
        await harness.send(message_event("zhangwei", "/kudos @lina 谢谢你的帮助", names={"lina": "李娜"}))
    await harness.deliver()
    await runner.cleanup()

    to_lina = [s for s in fake.sent if s.receive_id == "ou_lina"]
    assert len(to_lina) == 1 and "张伟" in to_lina[0].text and "谢谢你的帮助" in to_lina[0].text
    async with app.db.read() as session:
        org = await orgs.by_slug(session, "acme")
        assert len(await people.all_in_org(session, org_id=org.id)) == 2, "nobody was made twice"
        lina = await people.by_identity(session, org_id=org.id, platform="feishu", user_id="ou_lina")
        assert lina.email == "li.na@example.com" and lina.handle

"""The tools of one run of Rill: the built-in ones turned on, the command tools and the MCP
servers from config.toml, opened together and closed together."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rillchat.chat.tools.builtin import builtin_tools
from rillchat.chat.tools.command import CommandTool
from rillchat.chat.tools.mcp_servers import McpServer
from rillchat.chat.tools.toolbox import Toolbox

if TYPE_CHECKING:
    from rillchat.config.settings import Settings


class ToolSession:
    def __init__(self, toolbox: Toolbox, servers: Sequence[McpServer] = ()) -> None:
        self.toolbox = toolbox
        self.servers = list(servers)

    @property
    def failed_servers(self) -> list[McpServer]:
        return [server for server in self.servers if server.failure is not None]

    @classmethod
    def local(cls, settings: Settings) -> ToolSession:
        """The tools that need nothing started: built-in and command tools."""
        tools = [
            *builtin_tools(settings.builtin_tools, settings.allowed_folders),
            *(CommandTool(config) for config in settings.command_tools),
        ]
        return cls(Toolbox(tools))

    @classmethod
    async def open(cls, settings: Settings) -> ToolSession:
        """Every tool, with the MCP servers started side by side; a server that fails is
        kept in `failed_servers` with its reason, and the other tools still work."""
        session = cls.local(settings)
        try:
            await session.start_servers(settings)
        except BaseException:  # Ctrl+C while they start: none may be left running
            await session.close()
            raise
        return session

    async def start_servers(self, settings: Settings) -> None:
        servers = [McpServer(config) for config in settings.mcp_servers]
        self.servers += servers  # before they start, so that closing reaches one still starting
        await asyncio.gather(*(server.start() for server in servers))
        for server in servers:
            for tool in server.tools:
                self.toolbox.add(tool)

    def rebuild_local(self, settings: Settings) -> None:
        """Settings changed: offer the built-in and command tools as they now are, keeping
        the tools of running servers."""
        fresh = ToolSession.local(settings).toolbox
        for server in self.servers:
            for tool in server.tools:
                fresh.add(tool)
        self.toolbox = fresh

    async def close(self) -> None:
        await asyncio.gather(*(server.close() for server in self.servers), return_exceptions=True)

# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: transport. HuJSON (JWCC: JSON with comments and trailing commas) as an exact syntax tree.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: the standard library only (it runs inside modules, on any Python
ansible-core supports for modules).

The Tailscale policy file is HuJSON. Users write comments in it, order it and
format it by hand; an edit by this collection must keep all of that and change
only what it manages. No Python library round-trips HuJSON with its comments,
so this module keeps the document as a syntax tree:

* :func:`parse` turns text into a :class:`Value`; :meth:`Value.pack` gives the
  text back, identical character for character when nothing was changed.
* :meth:`Value.patch` applies an RFC 6902 JSON Patch to the tree. Comments that
  sit with a member or element (above it, or after it on the same line) move,
  are copied or are removed with it; every other comment stays where it is.
  The rules for which comment belongs to which member, and the exact results,
  follow tailscale/hujson's ``Value.Patch`` (whose test cases the unit tests
  reproduce), so a file edited here reads as if Tailscale's own tooling had
  edited it.
* :meth:`Value.add_formatted` adds one member or element and indents it like
  its neighbours (the plain RFC 6902 ``add`` inserts it unformatted, as
  tailscale/hujson does).
* :meth:`Value.to_python` gives the data (comments and trailing commas
  dropped), :meth:`Value.find` reads by JSON pointer (RFC 6901).

Text is handled as ``str``; line and column numbers in errors count characters.
Unlike tailscale/hujson, invalid UTF-8 is refused (bytes are decoded strictly),
integers compare exactly and an object with a repeated name never equals
another value (the upstream tests mark all three as known shortcomings).
"""

from __future__ import annotations

import json
import re

__all__ = [
    'HuJSONError',
    'Value',
    'json_string',
    'parse',
]

_WHITESPACE = ' \t\r\n'
_NUMBER = re.compile(r'-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z')
_LITERAL_CHARS = re.compile(r'[-+.a-zA-Z0-9]*')


class HuJSONError(ValueError):
    """The text is not HuJSON, a JSON pointer is wrong, or a patch operation failed."""


class _NotFound(HuJSONError):
    pass


# --------------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------------
class Literal(object):
    """A JSON null, boolean, number or string, exactly as written (``text``)."""

    __slots__ = ('text',)

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def kind(self) -> str:
        """``n``, ``t``, ``f``, ``"`` or ``0`` (number), as tailscale/hujson's Kind."""
        first = self.text[:1]
        if first in ('n', 't', 'f', '"'):
            return first
        return '0'

    def decoded(self):
        return json.loads(self.text)

    def string(self) -> str:
        """The unescaped value of a string; the raw text of anything else."""
        if self.kind == '"':
            return json.loads(self.text)
        return self.text

    def clone(self) -> 'Literal':
        return Literal(self.text)


class Member(object):
    """One ``name: value`` of an object; ``name`` and ``value`` are :class:`Value` s."""

    __slots__ = ('name', 'value')

    def __init__(self, name: 'Value', value: 'Value') -> None:
        self.name = name
        self.value = value


class _Composite(object):
    __slots__ = ()

    # before_at(i): the extra before child i, or the closing extra when i == len.
    def before_at(self, index):
        raise NotImplementedError

    def set_before_at(self, index, extra):
        raise NotImplementedError

    def last_value(self):
        raise NotImplementedError

    def has_trailing_comma(self) -> bool:
        last = self.last_value()
        return last is not None and last.after is not None


class Object(_Composite):
    """A JSON object. ``after`` is the extra between the last comma (or ``{``) and ``}``.

    A trailing comma is written when the last member's value has an ``after`` that
    is not None (possibly empty), as in tailscale/hujson.
    """

    __slots__ = ('members', 'after')

    def __init__(self, members=None, after=None):
        self.members = members if members is not None else []
        self.after = after

    def __len__(self):
        return len(self.members)

    def before_at(self, index):
        if index < len(self.members):
            return self.members[index].name.before
        return self.after

    def set_before_at(self, index, extra):
        if index < len(self.members):
            self.members[index].name.before = extra
        else:
            self.after = extra

    def last_value(self):
        return self.members[-1].value if self.members else None

    def get_at(self, index):
        return self.members[index].value.value

    def set_at(self, index, trimmed):
        self.members[index].value.value = trimmed

    def insert_at(self, index, trimmed):
        self.members.insert(index, Member(Value(None), Value(trimmed)))

    def remove_at(self, index):
        return self.members.pop(index).value.value

    def index_of(self, name: str) -> int:
        for index, member in enumerate(self.members):
            if member.name.value.string() == name:
                return index
        return -1

    def clone(self) -> 'Object':
        return Object([Member(member.name.clone(), member.value.clone()) for member in self.members], self.after)


class Array(_Composite):
    """A JSON array. ``after`` is the extra between the last comma (or ``[``) and ``]``."""

    __slots__ = ('elements', 'after')

    def __init__(self, elements=None, after=None):
        self.elements = elements if elements is not None else []
        self.after = after

    def __len__(self):
        return len(self.elements)

    def before_at(self, index):
        if index < len(self.elements):
            return self.elements[index].before
        return self.after

    def set_before_at(self, index, extra):
        if index < len(self.elements):
            self.elements[index].before = extra
        else:
            self.after = extra

    def last_value(self):
        return self.elements[-1] if self.elements else None

    def get_at(self, index):
        return self.elements[index].value

    def set_at(self, index, trimmed):
        self.elements[index].value = trimmed

    def insert_at(self, index, trimmed):
        self.elements.insert(index, Value(trimmed))

    def remove_at(self, index):
        return self.elements.pop(index).value

    def clone(self) -> 'Array':
        return Array([element.clone() for element in self.elements], self.after)


class Value(object):
    """A value with the comments and whitespace around it.

    ``before`` is the extra after the preceding ``{``, ``[``, ``:``, ``,`` or the
    start of the text; ``after`` the extra before the next ``:``, ``,`` or the
    end. An extra is a ``str`` of whitespace and comments, or None where the
    text had nothing (None and ``''`` differ only for the trailing comma rule).
    ``value`` is a :class:`Literal`, :class:`Object` or :class:`Array`.
    """

    __slots__ = ('before', 'value', 'after')

    def __init__(self, value, before=None, after=None):
        self.before = before
        self.value = value
        self.after = after

    # text -------------------------------------------------------------------------------------
    def pack(self) -> str:
        """The HuJSON text of this value."""
        parts = []
        _pack(self, parts)
        return ''.join(parts)

    def __str__(self):
        return self.pack()

    def __repr__(self):
        return 'Value(%r)' % self.pack()

    def clone(self) -> 'Value':
        return Value(self.value.clone(), self.before, self.after)

    # data ---------------------------------------------------------------------------------------
    def to_python(self, strict_names: bool = False):
        """The JSON data, comments and trailing commas dropped. A repeated object name keeps the
        last value, as JSON decoders do, unless ``strict_names`` (then it raises HuJSONError)."""
        return _to_python(self.value, strict_names)

    def find(self, pointer: str) -> 'Value | None':
        """The value at a JSON pointer (RFC 6901), or None. The first of repeated names wins."""
        try:
            return _find(self, pointer).value
        except HuJSONError:
            return None

    # changes ------------------------------------------------------------------------------------
    def patch(self, operations) -> None:
        """Apply an RFC 6902 patch: HuJSON text (comments around a ``value`` go with it), or a
        list of dicts whose ``value`` is Python data. Stops at the first failing operation and
        raises HuJSONError; the tree may then hold the operations before it (clone first)."""
        if isinstance(operations, (list, tuple)):
            operations = json.dumps(list(operations))
        for index, operation in enumerate(_parse_patch(operations)):
            op = operation['op']
            if op == 'add':
                self._patch_add(index, operation)
            elif op in ('remove', 'replace'):
                self._patch_remove_or_replace(index, operation)
            elif op in ('move', 'copy'):
                self._patch_move_or_copy(index, operation)
            else:
                self._patch_test(index, operation)

    def add_formatted(self, pointer: str, data, leading_comment: str | None = None) -> None:
        """RFC 6902 ``add`` of Python ``data`` at ``pointer``, laid out like the neighbours.

        The new member or element goes on its own line with the indentation of its siblings
        when they are on their own lines, after ``leading_comment`` (one ``//`` line) when
        given; a trailing comma is kept when the container had one. Replacing an existing
        member keeps its comments and position.
        """
        state = _find_for_add(self, pointer, 0)
        if state.parent is None:
            raise HuJSONError('cannot add_formatted the root value')
        parent = state.parent
        replacing = isinstance(parent, Object) and state.index < len(parent)
        had_trailing_comma = parent.has_trailing_comma()
        layout = _Layout.of(parent, state.index, replacing, _indent_unit(self))
        rendered = parse(layout.render(data))
        self._patch_add(0, {'path': pointer, 'value': Value(rendered.value)})
        if replacing:
            return
        if isinstance(parent, Object):
            new_value = parent.members[state.index].value
            new_value.before = layout.after_colon
        else:
            new_value = parent.elements[state.index]
        before = _strip_trailing_whitespace(parent.before_at(state.index) or '')
        if layout.own_line:
            if before and not before.endswith('\n'):
                before += '\n'
            elif not before:
                before = '\n'
            if leading_comment:
                before += layout.indent + '// ' + leading_comment.replace('\n', ' ') + '\n'
            before += layout.indent
        else:
            if leading_comment:
                before += ' /* ' + leading_comment.replace('*/', '* /') + ' */'
            before += layout.separator
        parent.set_before_at(state.index, before or None)
        if had_trailing_comma and parent.last_value() is new_value:
            new_value.after = ''
        if layout.own_line and state.index == len(parent) - 1:
            closing = parent.after or ''
            if '\n' not in closing:
                parent.after = closing + '\n' + layout.closing_indent

    def remove(self, pointer: str) -> None:
        """RFC 6902 ``remove`` (the member's own comments go with it); a trailing comma after the
        container's last member stays when the last member is the one removed."""
        state = _find_or_fail(self, pointer, 0)
        parent = state.parent
        had_trailing_comma = parent is not None and parent.has_trailing_comma()
        self.patch([{'op': 'remove', 'path': pointer}])
        if had_trailing_comma and len(parent) and parent.last_value().after is None:
            parent.last_value().after = ''

    def replace(self, pointer: str, data) -> None:
        """RFC 6902 ``replace`` with Python ``data`` (comments around the old value stay)."""
        self.patch([{'op': 'replace', 'path': pointer, 'value': data}])

    # RFC 6902 operations, after tailscale/hujson patch.go ----------------------------------------
    def _patch_add(self, index, operation):
        state = _find_for_add(self, operation['path'], index)
        value = operation['value']
        if state.parent is None:
            self.before, self.value, self.after = value.before, value.value, value.after
        elif isinstance(state.parent, Object):
            if state.index < len(state.parent):
                _replace_at(state.parent, state.index, value)
            else:
                _insert_at(state.parent, state.index, value)
                state.parent.members[state.index].name.value = Literal(json_string(state.name))
        else:
            _insert_at(state.parent, state.index, value)

    def _patch_remove_or_replace(self, index, operation):
        state = _find_or_fail(self, operation['path'], index)
        if state.parent is None:
            raise HuJSONError('hujson: patch operation %d: cannot %s root value' % (index, operation['op']))
        if operation['op'] == 'remove':
            _remove_at(state.parent, state.index)
        else:
            _replace_at(state.parent, state.index, operation['value'])

    def _patch_move_or_copy(self, index, operation):
        source = operation['from']
        if source == '' or (operation['op'] == 'move' and _has_path_prefix(operation['path'], source)):
            raise HuJSONError('hujson: patch operation %d: cannot %s %s into %s'
                              % (index, operation['op'], _quote(source), _quote(operation['path'])))
        state = _find_or_fail(self, source, index)
        if operation['op'] == 'move':
            moved = _remove_at(state.parent, state.index)
        else:
            moved = _copy_at(state.parent, state.index)
        self._patch_add(index, {'path': operation['path'], 'value': moved})

    def _patch_test(self, index, operation):
        state = _find_or_fail(self, operation['path'], index)
        if not _equal(state.value, operation['value']):
            raise HuJSONError('hujson: patch operation %d: values differ at %s' % (index, _quote(operation['path'])))


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------
class _ParseError(Exception):
    def __init__(self, position, message):
        super(_ParseError, self).__init__(message)
        self.position = position
        self.message = message


class _Closing(Exception):
    """A ``}`` or ``]`` where a value should start: the end of a container (or an error)."""

    def __init__(self, char, position, before):
        super(_Closing, self).__init__(char)
        self.char = char
        self.position = position
        self.before = before


def parse(text) -> Value:
    """Parse HuJSON text (``str``, or UTF-8 ``bytes``) into a :class:`Value`."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode('utf-8')
        except UnicodeDecodeError as exc:
            raise HuJSONError('hujson: invalid UTF-8 at byte %d' % exc.start)
    position = 0
    try:
        value, position = _parse_next(text, 0)
        if position < len(text):
            raise _ParseError(position, _invalid_character(text, position, 'after top-level value'))
    except _Closing as closing:
        position = closing.position
        error = _invalid_character(text, position, 'at start of value')
        raise HuJSONError('hujson: line %d, column %d: %s' % (_line_column(text, position) + (error,)))
    except _ParseError as error:
        raise HuJSONError('hujson: line %d, column %d: %s' % (_line_column(text, error.position) + (error.message,)))
    return value


def _line_column(text, position):
    line = 1 + text.count('\n', 0, position)
    column = 1 + position - (text.rfind('\n', 0, position) + 1)
    return line, column


def _invalid_character(text, position, where):
    char = text[position:position + 1]
    if char.isprintable():
        what = "'%s'" % char.replace('\\', '\\\\').replace("'", "\\'")
    elif ord(char) <= 0xffff:
        what = "'\\u%04x'" % ord(char)
    else:
        what = "'\\U%08x'" % ord(char)
    return 'invalid character %s %s' % (what, where)


def _consume_extra(text, position):
    end = len(text)
    while position < end:
        char = text[position]
        if char in _WHITESPACE:
            position += _consume_whitespace(text, position)
        elif char == '/':
            length = _consume_comment(text, position)
            if length == 0:
                return position
            if length < 0:
                raise _ParseError(position, 'parsing comment: unexpected EOF')
            position += length
        else:
            return position
    return position


def _consume_whitespace(text, position=0):
    start = position
    end = len(text)
    while position < end and text[position] in _WHITESPACE:
        position += 1
    return position - start


def _consume_comment(text, position=0):
    """Length of the comment starting at ``position``; 0 if none starts there, -1 if unterminated."""
    if text.startswith('//', position):
        terminator = '\n'
    elif text.startswith('/*', position):
        terminator = '*/'
    else:
        return 0
    found = text.find(terminator, position + 2)
    if found < 0:
        return -1
    return found + len(terminator) - position


def _parse_next(text, position):
    start = position
    position = _consume_extra(text, position)
    before = text[start:position] if position > start else None
    try:
        trimmed, end = _parse_trimmed(text, position)
    except _Closing as closing:
        closing.before = before
        raise
    position = _consume_extra(text, end)
    after = text[end:position] if position > end else None
    return Value(trimmed, before, after), position


def _parse_trimmed(text, position):
    if position >= len(text):
        raise _ParseError(position, 'parsing value: unexpected EOF')
    char = text[position]
    if char == '{':
        return _parse_object(text, position + 1)
    if char == '[':
        return _parse_array(text, position + 1)
    if char in '}]':
        raise _Closing(char, position, None)
    if char == '"':
        return _parse_string(text, position)
    match = _LITERAL_CHARS.match(text, position)
    literal = match.group()
    if not literal:
        raise _ParseError(position, _invalid_character(text, position, 'at start of value'))
    if literal not in ('null', 'true', 'false') and not _NUMBER.match(literal):
        raise _ParseError(position, 'invalid literal: %s' % literal)
    return Literal(literal), match.end()


def _parse_string(text, start):
    position = start + 1
    end = len(text)
    escaped = False
    while True:
        if position >= end:
            raise _ParseError(position, 'parsing string: unexpected EOF')
        char = text[position]
        if escaped:
            escaped = False
        elif char == '\\':
            escaped = True
        elif char == '"':
            position += 1
            literal = text[start:position]
            try:
                json.loads(literal)
            except ValueError:
                raise _ParseError(start, 'invalid literal: %s' % literal)
            return Literal(literal), position
        position += 1


def _parse_object(text, position):
    obj = Object()
    while True:
        try:
            name, position = _parse_next(text, position)
        except _Closing as closing:
            if closing.char != '}':
                raise _ParseError(closing.position, _invalid_character(text, closing.position, 'at start of value'))
            _set_trailing_comma(obj, bool(obj.members))
            obj.after = closing.before
            return obj, closing.position + 1
        if not isinstance(name.value, Literal) or name.value.kind != '"':
            start = position - len(name.after or '') - len(_pack_trimmed(name.value))
            raise _ParseError(start, _invalid_character(text, start, 'at start of object name'))
        if position >= len(text):
            raise _ParseError(position, 'parsing object after name: unexpected EOF')
        if text[position] != ':':
            raise _ParseError(position, _invalid_character(text, position, 'after object name'))
        try:
            value, position = _parse_next(text, position + 1)
        except _Closing as closing:
            raise _ParseError(closing.position, _invalid_character(text, closing.position, 'at start of value'))
        obj.members.append(Member(name, value))
        if position >= len(text):
            raise _ParseError(position, 'parsing object after value: unexpected EOF')
        if text[position] == ',':
            position += 1
        elif text[position] == '}':
            obj.after = value.after
            value.after = None
            return obj, position + 1
        else:
            raise _ParseError(position, _invalid_character(text, position, "after object value (expecting ',' or '}')"))


def _parse_array(text, position):
    arr = Array()
    while True:
        try:
            element, position = _parse_next(text, position)
        except _Closing as closing:
            if closing.char != ']':
                raise _ParseError(closing.position, _invalid_character(text, closing.position, 'at start of value'))
            _set_trailing_comma(arr, bool(arr.elements))
            arr.after = closing.before
            return arr, closing.position + 1
        arr.elements.append(element)
        if position >= len(text):
            raise _ParseError(position, 'parsing array after value: unexpected EOF')
        if text[position] == ',':
            position += 1
        elif text[position] == ']':
            arr.after = element.after
            element.after = None
            return arr, position + 1
        else:
            raise _ParseError(position, _invalid_character(text, position, "after array value (expecting ',' or ']')"))


def _set_trailing_comma(composite, wanted):
    last = composite.last_value()
    if last is None:
        return
    if wanted and last.after is None:
        last.after = ''
    elif not wanted and last.after is not None:
        composite.after = last.after + (composite.after or '')
        last.after = None


# --------------------------------------------------------------------------------------------------
# Packing and data
# --------------------------------------------------------------------------------------------------
def _pack(value, parts):
    if value.before:
        parts.append(value.before)
    _pack_trimmed_into(value.value, parts)
    if value.after:
        parts.append(value.after)


def _pack_trimmed(trimmed):
    parts = []
    _pack_trimmed_into(trimmed, parts)
    return ''.join(parts)


def _pack_trimmed_into(trimmed, parts):
    if isinstance(trimmed, Literal):
        parts.append(trimmed.text)
        return
    if isinstance(trimmed, Object):
        parts.append('{')
        for index, member in enumerate(trimmed.members):
            if index:
                parts.append(',')
            _pack(member.name, parts)
            parts.append(':')
            _pack(member.value, parts)
        closing = '}'
    else:
        parts.append('[')
        for index, element in enumerate(trimmed.elements):
            if index:
                parts.append(',')
            _pack(element, parts)
        closing = ']'
    if trimmed.has_trailing_comma():
        parts.append(',')
    if trimmed.after:
        parts.append(trimmed.after)
    parts.append(closing)


def _to_python(trimmed, strict_names):
    if isinstance(trimmed, Literal):
        return trimmed.decoded()
    if isinstance(trimmed, Array):
        return [_to_python(element.value, strict_names) for element in trimmed.elements]
    result = {}
    for member in trimmed.members:
        name = member.name.value.string()
        if strict_names and name in result:
            raise HuJSONError('hujson: duplicate name %s' % _quote(name))
        result[name] = _to_python(member.value.value, strict_names)
    return result


def _equal(left, right):
    try:
        return _same(_to_python(left.value, True), _to_python(right.value, True))
    except (HuJSONError, ValueError):
        return False


def _same(left, right):
    """JSON equality: numbers by value, booleans never equal to numbers, objects ignore order."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return set(left) == set(right) and all(_same(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right))
    return type(left) is type(right) and left == right


def json_string(text: str) -> str:
    """A JSON string literal for ``text``, escaped as RFC 8785 section 3.2.2.2 says (as
    tailscale/hujson's String does): only quote, backslash and control characters."""
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == '\\':
            out.append('\\\\')
        elif char < ' ':
            out.append({'\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r'}.get(char, '\\u%04x' % ord(char)))
        else:
            out.append(char)
    out.append('"')
    return ''.join(out)


def _quote(text):
    # Go's %q for the strings in these messages (ASCII pointers and names).
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------------------------------
# JSON pointers (RFC 6901), after tailscale/hujson find.go
# --------------------------------------------------------------------------------------------------
class _FindState(object):
    __slots__ = ('pointer', 'offset', 'parent', 'name', 'index', 'value')

    def __init__(self, pointer):
        self.pointer = pointer
        self.offset = 0
        self.parent = None
        self.name = ''
        self.index = 0
        self.value = None


def _find(root, pointer):
    """Walk ``pointer``; raises _NotFound (with ``.state`` for an add) or HuJSONError."""
    state = _FindState(pointer)
    value = root
    while True:
        state.value = value
        if pointer[state.offset:] == '':
            return state
        composite = value.value
        if not isinstance(composite, (Object, Array)):
            raise HuJSONError('invalid pointer: cannot index into literal at %s' % pointer[:state.offset])
        state.parent, state.index, state.name = None, 0, ''
        if not pointer.startswith('/', state.offset):
            raise HuJSONError('invalid pointer: lacks a forward slash prefix')
        slash = pointer.find('/', state.offset + 1)
        end = slash if slash >= 0 else len(pointer)
        name = pointer[state.offset + 1:end].replace('~1', '/').replace('~0', '~')
        state.offset = end
        state.parent, state.name, state.index = composite, name, len(composite)
        if isinstance(composite, Object):
            found = composite.index_of(name)
            if found >= 0:
                state.index = found
                value = composite.members[found].value
                continue
        else:
            if name == '-':
                raise _not_found(state)
            if not name.isdigit() or not name.isascii() or (name != '0' and name.startswith('0')):
                raise HuJSONError('invalid array index: %s' % name)
            position = int(name)
            if position < len(composite.elements):
                state.index = position
                value = composite.elements[position]
                continue
            if position > len(composite.elements):
                # RFC 6902 4.1: an index greater than the number of elements is an error.
                state.offset = -1
        raise _not_found(state)


def _not_found(state):
    error = _NotFound('value not found')
    error.state = state
    return error


def _find_or_fail(root, pointer, index):
    try:
        return _find(root, pointer)
    except HuJSONError as error:
        raise HuJSONError('hujson: patch operation %d: %s' % (index, error))


def _find_for_add(root, pointer, index):
    """The state for an add: the value itself, or a missing last segment of an existing parent."""
    try:
        return _find(root, pointer)
    except _NotFound as error:
        if error.state.offset == len(pointer):
            return error.state
        raise HuJSONError('hujson: patch operation %d: %s' % (index, error))
    except HuJSONError as error:
        raise HuJSONError('hujson: patch operation %d: %s' % (index, error))


def _has_path_prefix(path, prefix):
    return path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == '/')


# --------------------------------------------------------------------------------------------------
# Patch documents
# --------------------------------------------------------------------------------------------------
def _parse_patch(text):
    document = parse(text)
    if not isinstance(document.value, Array):
        raise HuJSONError('hujson: patch must be a JSON array')
    operations = []
    for index, element in enumerate(document.value.elements):
        obj = element.value
        if not isinstance(obj, Object):
            raise HuJSONError('hujson: patch operation %d: must be a JSON object' % index)
        seen = set()
        operation = {}
        for position, member in enumerate(obj.members):
            name = member.name.value.string()
            if name in seen:
                raise HuJSONError('hujson: patch operation %d: duplicate name %s' % (index, _quote(name)))
            seen.add(name)
            literal = member.value.value
            if name in ('op', 'path', 'from'):
                if not isinstance(literal, Literal) or literal.kind != '"':
                    raise HuJSONError('hujson: patch operation %d: member %s must be a JSON string' % (index, _quote(name)))
                if name == 'op' and literal.string() not in ('add', 'remove', 'replace', 'move', 'copy', 'test'):
                    raise HuJSONError('hujson: patch operation %d: unknown operation %s' % (index, _quote(literal.string())))
                operation[name] = literal.string()
            elif name == 'value':
                # Comments above the "value" member and after it on its line travel with the value.
                operation['value'] = Value(literal,
                                           _extract_leading_comments(obj.before_at(position), True)[0],
                                           _extract_trailing_comments(obj.before_at(position + 1), True)[0])
        op = operation.get('op')
        if 'op' not in seen:
            missing = 'op'
        elif 'path' not in seen:
            missing = 'path'
        elif 'from' not in seen and op in ('move', 'copy'):
            missing = 'from'
        elif 'value' not in seen and op in ('add', 'replace', 'test'):
            missing = 'value'
        else:
            missing = None
        if missing:
            raise HuJSONError('hujson: patch operation %d: missing required member %s' % (index, _quote(missing)))
        operations.append(operation)
    return operations


# --------------------------------------------------------------------------------------------------
# Which comment belongs to which member, after tailscale/hujson patch.go:
# comments above a member (up to a blank line) and after it on its own line go with it.
# --------------------------------------------------------------------------------------------------
def _copy_extra(extra):
    return extra if extra else None


def _has_comment(extra):
    return bool(extra) and _consume_whitespace(extra) < len(extra)


def _classify_comments(extra):
    """(prev_end, curr_start): extra[:prev_end] belongs to the previous member, extra[curr_start:]
    to the next one; a blank line divides comment blocks."""
    extra = extra or ''
    first_divider = last_divider = dividers = 0
    position = 0
    previous_newline = 0
    while position < len(extra):
        spaces = _consume_whitespace(extra, position)
        if previous_newline + extra.count('\n', position, position + spaces) >= 2:
            if dividers == 0:
                first_divider = position
            last_divider = position
            dividers += 1
        position += spaces
        length = _consume_comment(extra, position)
        if length <= 0:
            break
        previous_newline = 1 if extra[position:position + length].endswith('\n') else 0
        position += length
    if dividers == 0:
        spaces = _consume_whitespace(extra)
        end = spaces + _consume_comment(extra, spaces)
        if extra.count('\n', 0, end) == 1 and extra[:end].endswith('\n'):
            return end, end
        return 0, 0
    return first_divider, last_divider


def _inject_leading_comments(extra, leading):
    if not leading:
        return extra
    _prev_end, curr_start = _classify_comments(extra)
    extra = extra or ''
    blank = _consume_whitespace(extra, curr_start)
    extra = extra[:curr_start + blank]
    leading = leading[_consume_whitespace(leading):]
    if leading:
        newline = extra.rfind('\n')
        if newline < 0 or _has_comment(extra[newline:]):
            extra += '\n'
        extra += leading
    return extra


def _extract_leading_comments(extra, readonly):
    """(leading comments, extra left behind)."""
    _prev_end, curr_start = _classify_comments(extra)
    text = extra or ''
    blank = _consume_whitespace(text, curr_start)
    leading = _copy_extra(text[curr_start + blank:])
    if not readonly and extra is not None:
        extra = text[:curr_start + blank]
    return leading, extra


def _inject_trailing_comments(extra, trailing):
    if not trailing:
        return extra
    prev_end, _curr_start = _classify_comments(extra)
    extra = extra or ''
    if extra[:prev_end].endswith('\n'):
        prev_end -= 1  # keep the newline
    extra = extra[prev_end:]
    if _has_comment(trailing):
        if trailing.endswith('\n') and extra.startswith('\n'):
            trailing = trailing[:-1]
        extra = trailing + extra
    return extra


def _extract_trailing_comments(extra, readonly):
    """(trailing comments, extra left behind)."""
    prev_end, _curr_start = _classify_comments(extra)
    text = extra or ''
    trailing = _copy_extra(text[:prev_end])
    if not readonly and extra is not None:
        if trailing and trailing.endswith('\n'):
            prev_end -= 1  # keep the newline
        extra = text[prev_end:]
    return trailing, extra


def _copy_at(composite, index):
    leading = _extract_leading_comments(composite.before_at(index), True)[0]
    trailing = _extract_trailing_comments(composite.before_at(index + 1), True)[0]
    return Value(composite.get_at(index).clone(), leading, trailing)


def _replace_at(composite, index, value):
    composite.set_before_at(index, _inject_leading_comments(composite.before_at(index), value.before))
    composite.set_before_at(index + 1, _inject_trailing_comments(composite.before_at(index + 1), value.after))
    composite.set_at(index, value.value)


def _insert_at(composite, index, value):
    composite.insert_at(index, value.value)
    trailing, rest = _extract_trailing_comments(composite.before_at(index + 1), False)
    composite.set_before_at(index + 1, rest)
    composite.set_before_at(index, _inject_trailing_comments(composite.before_at(index), trailing))
    composite.set_before_at(index, _inject_leading_comments(composite.before_at(index), value.before))
    composite.set_before_at(index + 1, _inject_trailing_comments(composite.before_at(index + 1), value.after))


def _remove_at(composite, index):
    leading, rest = _extract_leading_comments(composite.before_at(index), False)
    composite.set_before_at(index, rest)
    trailing, rest = _extract_trailing_comments(composite.before_at(index + 1), False)
    composite.set_before_at(index + 1, rest)
    left_behind = composite.before_at(index)
    if _has_comment(left_behind):
        # Comments that belonged to the previous member stay after it.
        following = composite.before_at(index + 1) or ''
        composite.set_before_at(index + 1, left_behind + following[_consume_whitespace(following):])
    return Value(composite.remove_at(index), leading, trailing)


# --------------------------------------------------------------------------------------------------
# Layout of an added member (not in tailscale/hujson: its add leaves formatting to Format)
# --------------------------------------------------------------------------------------------------
def _strip_trailing_whitespace(extra):
    """``extra`` without the whitespace after its last comment (a line comment keeps its newline)."""
    position = 0
    end_of_comments = 0
    while position < len(extra):
        position += _consume_whitespace(extra, position)
        length = _consume_comment(extra, position)
        if length <= 0:
            break
        position += length
        end_of_comments = position
    return extra[:end_of_comments]


def _line_indent(extra):
    """The whitespace after the last newline of ``extra``, or None when it has no newline."""
    if not extra or '\n' not in extra:
        return None
    tail = extra[extra.rfind('\n') + 1:]
    return tail if _consume_whitespace(tail) == len(tail) else None


def _indent_unit(root):
    """The document's indentation step: the indentation of the first top-level member."""
    if isinstance(root.value, Object) and root.value.members:
        indent = _line_indent(root.value.members[0].name.before)
        if indent:
            return indent
    return '\t'


class _Layout(object):
    """How a new child of ``parent`` at ``index`` is laid out, read from its siblings."""

    def __init__(self, own_line, indent, closing_indent, unit, separator, after_colon, trailing_commas):
        self.own_line = own_line
        self.indent = indent
        self.closing_indent = closing_indent
        self.unit = unit
        self.separator = separator
        self.after_colon = after_colon
        self.trailing_commas = trailing_commas

    @classmethod
    def of(cls, parent, index, replacing, unit):
        count = len(parent)
        siblings = [i for i in (index - 1, index + 1 if replacing else index) if 0 <= i < count]
        indents = [_line_indent(parent.before_at(i)) for i in siblings]
        indents = [indent for indent in indents if indent is not None]
        closing_indent = _line_indent(parent.after)
        if indents:
            own_line, indent = True, indents[0]
        elif count == 0 and closing_indent is not None:
            own_line, indent = True, closing_indent + unit
        elif count == 0:
            # An empty container on one line: open it up.
            own_line, indent = True, unit
            closing_indent = ''
        else:
            own_line, indent = False, ''
        if closing_indent is None:
            closing_indent = indent[:-len(unit)] if indent.endswith(unit) else ''
        after_colon, separator = ' ', ' '
        if count:
            if isinstance(parent, Object):
                sibling = parent.members[min(index, count - 1)]
                after_colon = _same_line_space(sibling.value.before, ' ')
                separator = _same_line_space(sibling.name.before, '')
            else:
                separator = _same_line_space(parent.elements[min(index, count - 1)].before, '')
        return cls(own_line, indent, closing_indent, unit, separator, after_colon, parent.has_trailing_comma())

    def render(self, data):
        """HuJSON text of ``data`` (see :func:`_render`), nested lines indented from the new member."""
        return _render(data, self.indent, self.unit, self.trailing_commas)


def _same_line_space(extra, otherwise):
    """The siblings' spacing: ``extra`` when it is blanks on one line, '' when there is none,
    ``otherwise`` when it holds a newline or a comment."""
    if extra is None:
        return ''
    if '\n' in extra or _has_comment(extra):
        return otherwise
    return extra


_RENDER_WIDTH = 100


def _render(data, indent, unit, trailing_commas):
    """A list of objects one element per line (as the policy file's ``acls`` and ``nodeAttrs``
    are written); anything else on one line when it fits in 100 columns."""
    flat = _render_flat(data)
    if isinstance(data, dict):
        items = [(json_string(str(key)), value) for key, value in data.items()]
        opening, closing = '{', '}'
        one_per_line = len(indent.expandtabs(8)) + len(flat) > _RENDER_WIDTH
    elif isinstance(data, (list, tuple)):
        items = [(None, value) for value in data]
        opening, closing = '[', ']'
        one_per_line = (any(isinstance(value, dict) for value in data)
                        or len(indent.expandtabs(8)) + len(flat) > _RENDER_WIDTH)
    else:
        return flat
    if not items or not one_per_line:
        return flat
    inner = indent + unit
    parts = []
    for key, value in items:
        text = _render(value, inner, unit, trailing_commas)
        parts.append(text if key is None else '%s: %s' % (key, text))
    comma = ',' if trailing_commas else ''
    return opening + '\n' + ',\n'.join(inner + part for part in parts) + comma + '\n' + indent + closing


def _render_flat(data):
    if isinstance(data, dict):
        return '{' + ', '.join('%s: %s' % (json_string(str(key)), _render_flat(value)) for key, value in data.items()) + '}'
    if isinstance(data, (list, tuple)):
        return '[' + ', '.join(_render_flat(value) for value in data) + ']'
    return json.dumps(data, ensure_ascii=False)

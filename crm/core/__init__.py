"""The core every domain module builds on: the database and its tenant-scoped session
(``db``, ``session``, ``tenancy``, ``county_owned``), who may do what (``access``), the
clock and time zone (``clock``), one way to handle an HTML post (``handlers``, ``forms``,
``errors``), input no database stores (``input_guard``), pages and lists (``pagination``,
``nav``, ``hooks``), the language (``i18n``), security headers and proxies (``security``,
``proxies``, ``redirects``) and the commands every installation has (``commands``,
``migrate``)."""

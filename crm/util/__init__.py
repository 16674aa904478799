"""Pure helpers shared by services, views, importers and exports.

Nothing in this package needs a Flask app or a database: credit codes
(:mod:`crm.util.uscc`), company names (:mod:`crm.util.names`), spreadsheet
exports (:mod:`crm.util.exports`), calendars (:mod:`crm.util.ical`), dates
(:mod:`crm.util.dates`) and money in 万元 (:mod:`crm.util.money`).
"""

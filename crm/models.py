"""Import every model module so the metadata (and Alembic) sees every table."""

from chains import models as chains  # noqa: F401
from crm.activities import models as activities  # noqa: F401
from crm.audit import models as audit  # noqa: F401
from crm.auth import models as auth  # noqa: F401
from crm.commitments import models as commitments  # noqa: F401
from crm.companies import models as companies  # noqa: F401
from crm.files import models as files  # noqa: F401
from crm.funds import models as funds  # noqa: F401
from crm.imports import models as imports  # noqa: F401
from crm.projects import models as projects  # noqa: F401
from crm.regions import models as regions  # noqa: F401
from crm.rewards import models as rewards  # noqa: F401
